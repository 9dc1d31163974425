//! The monthly billing run over the subscriptions (DOMAIN.md §5): what it would bill,
//! customer by customer, and the drafts it creates in one transaction.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rusqlite::{params, Row};
use rust_decimal::Decimal;
use serde::Serialize;
use vardesk_core::billing::{bill_line, Interval, Period, SubscriptionTerms};
use vardesk_core::{round_dp, CoreError, Currency};

use vardesk_core::lines::Line;

use crate::invoices::{insert_invoice_line, LineOrigin};
use crate::{from_scaled, now, to_scaled, DbResult, Result, Store};

/// One line a billing run would create.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct RunLine {
    pub subscription_id: i64,
    /// Seats added to a licence, billed for the rest of their period (§10).
    #[serde(skip)]
    seat_batch_id: Option<i64>,
    pub description: String,
    pub amount: Decimal,
    /// Seats × price less the discount for a whole period; 1 × the amount when prorated
    /// (`billing::billed_terms`), so the invoice line nets to exactly the amount §5 computed.
    #[serde(skip)]
    quantity: Decimal,
    #[serde(skip)]
    unit_price: Decimal,
    #[serde(skip)]
    discount_percent: Decimal,
    #[serde(skip)]
    unit: String,
    #[serde(skip)]
    unit_cost_e4: i64,
    #[serde(skip)]
    tax_rate_e2: i64,
}

/// The draft invoice a billing run would create for one customer.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct RunInvoice {
    pub customer_id: i64,
    pub customer: String,
    pub currency: Currency,
    pub lines: Vec<RunLine>,
    pub net: Decimal,
}

/// What a billing run does (preview) or did.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct BillingRun {
    pub period: String,
    pub invoices: Vec<RunInvoice>,
    /// Subscriptions due this month that an earlier run already billed.
    pub already_billed: u32,
    /// Net total per currency: amounts in different currencies are never added.
    pub totals: BTreeMap<String, Decimal>,
    /// The draft invoices created (empty for a preview).
    pub created: Vec<i64>,
}
pub(crate) struct Sub {
    pub(crate) id: i64,
    pub(crate) customer_id: i64,
    pub(crate) customer: String,
    pub(crate) description: String,
    pub(crate) currency: Currency,
    pub(crate) unit: String,
    pub(crate) unit_cost_e4: i64,
    pub(crate) tax_rate_e2: i64,
    pub(crate) terms: SubscriptionTerms,
}

fn date(text: &str) -> rusqlite::Result<NaiveDate> {
    text.parse().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

pub(crate) fn sub_from_row(row: &Row<'_>) -> rusqlite::Result<Sub> {
    let currency: String = row.get("currency")?;
    let interval: String = row.get("interval")?;
    let end: Option<String> = row.get("end_date")?;
    Ok(Sub {
        id: row.get("id")?,
        customer_id: row.get("customer_id")?,
        customer: row.get("customer_name")?,
        description: row.get("description")?,
        currency: Currency::parse(&currency).unwrap_or(Currency::EUR),
        unit: row.get("unit")?,
        unit_cost_e4: row.get("unit_cost_e4")?,
        tax_rate_e2: row.get("tax_rate_e2")?,
        terms: SubscriptionTerms {
            quantity: from_scaled(row.get("quantity_e4")?, 4),
            unit_price: from_scaled(row.get("unit_price_e4")?, 4),
            interval: Interval::from_stored(&interval),
            start_date: date(&row.get::<_, String>("start_date")?)?,
            end_date: end.as_deref().map(date).transpose()?,
            discount_percent: Some(from_scaled(row.get("discount_e2")?, 2)),
            bill_from: row
                .get::<_, Option<String>>("bill_from")?
                .as_deref()
                .map(date)
                .transpose()?,
            anniversary: row
                .get::<_, Option<String>>("anniversary")?
                .as_deref()
                .map(date)
                .transpose()?,
        },
    })
}

impl Store {
    /// What the run for `period` would bill, customer by customer; nothing is written.
    pub fn preview_billing_run(&self, period: &str) -> Result<BillingRun> {
        let period = Period::parse(period)?;
        let mut stmt = self
            .conn()
            .prepare(
                "SELECT s.*, c.name AS customer_name, c.language AS customer_language,
                    c.country AS customer_country,
                    EXISTS (SELECT 1 FROM invoice_lines l WHERE l.subscription_id = s.id AND l.period = ?1) AS billed
                 FROM subscriptions s JOIN customers c ON c.id = s.customer_id
                 WHERE s.start_date <= ?2 AND (s.end_date IS NULL OR s.end_date >= ?3)
                 ORDER BY s.customer_id, s.currency, s.id",
            )
            .db()?;
        let rows = stmt
            .query_map(
                params![
                    period.to_string(),
                    period.last_day().to_string(),
                    period.first_day().to_string()
                ],
                |row| {
                    // Lines are described in the customer's language (§9).
                    let language = vardesk_core::language::of_customer(
                        &row.get::<_, String>("customer_language")?,
                        &row.get::<_, String>("customer_country")?,
                    );
                    Ok((sub_from_row(row)?, row.get::<_, bool>("billed")?, language))
                },
            )
            .db()?
            .collect::<rusqlite::Result<Vec<_>>>()
            .db()?;
        let mut run = BillingRun {
            period: period.to_string(),
            invoices: Vec::new(),
            already_billed: 0,
            totals: BTreeMap::new(),
            created: Vec::new(),
        };
        let locale = self.settings()?.map(|s| s.locale).unwrap_or_default();
        let mut all_batches = crate::subscriptions::all_seat_batches(self.conn())?;
        for (mut sub, billed, language) in rows {
            // §10: seats added after the period began are billed by their own prorated
            // lines; the period's line has the seats held on its first day.
            let batches = all_batches.remove(&sub.id).unwrap_or_default();
            let late: Decimal = batches
                .iter()
                .filter(|b| b.batch.bought_on > period.first_day())
                .map(|b| b.batch.seats)
                .sum();
            let batch_lines = self.seat_batch_lines(&sub, &batches, period, language, &locale)?;
            sub.terms.quantity = (sub.terms.quantity - late).max(Decimal::ZERO);
            let mut lines = batch_lines;
            let line = bill_line(&sub.terms, period, sub.currency)?;
            let regular = line
                .amount
                .filter(|_| line.due && !sub.terms.quantity.is_zero());
            if billed && regular.is_some() {
                run.already_billed += 1;
            }
            if let Some(amount) = regular.filter(|_| !billed) {
                if let Some(l) = self.regular_line(&sub, &line, amount, period, language)? {
                    lines.insert(0, l);
                }
            }
            for run_line in lines {
                *run.totals
                    .entry(sub.currency.code().to_string())
                    .or_default() += run_line.amount;
                match run.invoices.last_mut() {
                    Some(inv)
                        if inv.customer_id == sub.customer_id && inv.currency == sub.currency =>
                    {
                        inv.net += run_line.amount;
                        inv.lines.push(run_line);
                    }
                    _ => run.invoices.push(RunInvoice {
                        customer_id: sub.customer_id,
                        customer: sub.customer.clone(),
                        currency: sub.currency,
                        net: run_line.amount,
                        lines: vec![run_line],
                    }),
                }
            }
        }
        Ok(run)
    }

    /// The period's line of one subscription (§5), `None` when nothing is billed.
    fn regular_line(
        &self,
        sub: &Sub,
        line: &vardesk_core::billing::BillLine,
        amount: Decimal,
        period: Period,
        language: &str,
    ) -> Result<Option<RunLine>> {
        // The partner's cost of the line, prorated like the amount (internal only).
        let share = match line.active_days {
            Some(days) => Decimal::from(days) / Decimal::from(line.days_in_month),
            None => Decimal::ONE,
        };
        let cost = round_dp(
            sub.terms.quantity * from_scaled(sub.unit_cost_e4, 4) * share,
            4,
        );
        let label = vardesk_core::i18n::texts(language).billed_period(line, period);
        let Some((quantity, unit_price, discount_percent)) =
            vardesk_core::billing::billed_terms(&sub.terms, line, sub.currency)
        else {
            return Ok(None);
        };
        let whole = quantity == sub.terms.quantity && unit_price == sub.terms.unit_price;
        Ok(Some(RunLine {
            subscription_id: sub.id,
            seat_batch_id: None,
            description: format!("{} — {label}", sub.description),
            amount,
            quantity,
            unit_price,
            discount_percent,
            unit: sub.unit.clone(),
            // Per unit when the line is seats × price, else the whole (prorated) cost.
            unit_cost_e4: if whole {
                sub.unit_cost_e4
            } else {
                to_scaled(cost, 4)?
            },
            tax_rate_e2: sub.tax_rate_e2,
        }))
    }

    /// The prorated lines of a licence's seat batches not billed yet (§10): each from the
    /// day it was bought to the end of the customer's billing period then.
    fn seat_batch_lines(
        &self,
        sub: &Sub,
        batches: &[crate::subscriptions::StoredBatch],
        period: Period,
        language: &str,
        locale: &str,
    ) -> Result<Vec<RunLine>> {
        let texts = vardesk_core::i18n::texts(language);
        let mut lines = Vec::new();
        for b in batches {
            let batch = &b.batch;
            if !b.own_line || batch.seats.is_zero() || batch.bought_on > period.last_day() {
                continue;
            }
            let billed: bool = self
                .conn()
                .query_row(
                    "SELECT EXISTS (SELECT 1 FROM invoice_lines WHERE seat_batch_id = ?1)",
                    [batch.id],
                    |r| r.get(0),
                )
                .db()?;
            if billed || sub.terms.end_date.is_some_and(|e| e < batch.bought_on) {
                continue;
            }
            let (from, to, _) = sub.terms.period_of(batch.bought_on);
            let days = u32::try_from((to - from).num_days() + 1).unwrap_or(1);
            let active = vardesk_core::nce::days_remaining(batch.bought_on, to);
            let discount = sub.terms.discount_percent.unwrap_or_default();
            let amount = vardesk_core::nce::prorated_seats(
                batch.seats,
                sub.terms.unit_price,
                discount,
                active,
                days,
                sub.currency,
            )?;
            let cost = round_dp(
                batch.seats * from_scaled(sub.unit_cost_e4, 4) * Decimal::from(active)
                    / Decimal::from(days),
                4,
            );
            let label = texts.added_seats(
                &batch.seats.normalize().to_string(),
                batch.bought_on,
                to,
                active,
                days,
                texts.locale(locale),
            );
            lines.push(RunLine {
                subscription_id: sub.id,
                seat_batch_id: Some(batch.id),
                description: format!("{} — {label}", sub.description),
                amount,
                quantity: Decimal::ONE,
                unit_price: amount,
                discount_percent: Decimal::ZERO,
                unit: sub.unit.clone(),
                unit_cost_e4: to_scaled(cost, 4)?,
                tax_rate_e2: sub.tax_rate_e2,
            });
        }
        Ok(lines)
    }

    /// Refuses a run that bills a catalog item in a currency the catalog has no price in,
    /// naming the item and who subscribes to it.
    fn require_catalog_prices(&self, run: &BillingRun) -> Result<()> {
        let catalog: BTreeMap<i64, vardesk_core::catalog::CatalogItem> = self
            .list_catalog()?
            .into_iter()
            .map(|r| (r.id, r.item))
            .collect();
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT catalog_item_id FROM subscriptions WHERE id = ?1")
            .db()?;
        for inv in &run.invoices {
            for line in &inv.lines {
                let item: Option<i64> =
                    stmt.query_row([line.subscription_id], |r| r.get(0)).db()?;
                if let Some(item) = item.and_then(|id| catalog.get(&id)) {
                    item.require_price_in(inv.currency).map_err(|why| {
                        CoreError::validation(
                            "period",
                            format!(
                                "{why} {} subscribes to it in {}.",
                                inv.customer, inv.currency
                            ),
                        )
                    })?;
                }
            }
        }
        Ok(())
    }

    /// The month a billing run should start with: the earliest of the last twelve months,
    /// this one and the next that still has a subscription to bill (a forgotten month comes
    /// first); `None` when all of them are billed.
    pub fn first_month_to_bill(&self, today: NaiveDate) -> Result<Option<String>> {
        let mut month = Period::of(today).minus_months(12);
        for _ in 0..14 {
            if !self
                .preview_billing_run(&month.to_string())?
                .invoices
                .is_empty()
            {
                return Ok(Some(month.to_string()));
            }
            month = month.plus_months(1);
        }
        Ok(None)
    }

    /// Creates the month's draft invoices in one transaction. Running the same month again
    /// creates nothing new (each subscription is billed once per period).
    pub fn run_billing(&mut self, period: &str) -> Result<BillingRun> {
        // §10: licences whose term ended before the month renew (or end) first.
        self.renew_licences(Period::parse(period)?.first_day())?;
        let mut run = self.preview_billing_run(period)?;
        self.require_catalog_prices(&run)?;
        let created = self.write(|tx| {
            let mut created = Vec::new();
            let stamp = now();
            for inv in &run.invoices {
                tx.execute(
                    "INSERT INTO invoices (customer_id, status, currency, period, notes, created_at, updated_at)
                     VALUES (?1, 'draft', ?2, ?3, '', ?4, ?4)",
                    params![inv.customer_id, inv.currency.code(), run.period, stamp],
                )
                .db()?;
                let invoice_id = tx.last_insert_rowid();
                for (position, run_line) in inv.lines.iter().enumerate() {
                    let (line, mut origin) = run_line.as_line();
                    if origin.subscription_id.is_some() {
                        origin.period = Some(&run.period);
                    }
                    insert_invoice_line(tx, invoice_id, position, &line, origin)?;
                }
                created.push(invoice_id);
            }
            Ok(created)
        })?;
        run.created = created;
        Ok(run)
    }
}

impl RunLine {
    /// The line as the draft keeps it, with the subscription's period or the seat batch it
    /// bills (a batch's line names the batch, not the period: billed once each).
    fn as_line(&self) -> (Line, LineOrigin<'_>) {
        let line = Line {
            description: self.description.clone(),
            quantity: self.quantity,
            unit: self.unit.clone(),
            unit_price: self.unit_price,
            unit_cost: Some(from_scaled(self.unit_cost_e4, 4)),
            discount_percent: Some(self.discount_percent),
            tax_rate_percent: Some(from_scaled(self.tax_rate_e2, 2)),
            ..Line::default()
        };
        let origin = match self.seat_batch_id {
            Some(batch) => LineOrigin {
                seat_batch_id: Some(batch),
                ..LineOrigin::default()
            },
            None => LineOrigin {
                subscription_id: Some(self.subscription_id),
                ..LineOrigin::default()
            },
        };
        (line, origin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{day, sample_store as store};

    /// Sample data as of 2026-11-23: Müller & Söhne's accepted quote starts in December 2026.
    #[test]
    fn a_month_is_billed_once() {
        let (_dir, mut store) = store();
        let preview = store.preview_billing_run("2026-12").unwrap();
        assert_eq!(preview.invoices.len(), 1);
        let inv = &preview.invoices[0];
        assert_eq!(inv.customer, "Müller & Söhne GmbH");
        // 45 × 20.60 + 45 × 2.95 + 240.00 (annual, due in its start month)
        assert_eq!(inv.net.to_string(), "1299.75");
        assert_eq!(
            inv.lines[2].description,
            "Domain and DNS hosting — Dezember 2026 – November 2027"
        );
        assert!(
            store
                .conn()
                .query_row("SELECT count(*) FROM invoices", [], |r| r.get::<_, i64>(0))
                .unwrap()
                == 1
        );

        let run = store.run_billing("2026-12").unwrap();
        assert_eq!(run.created.len(), 1);
        let again = store.run_billing("2026-12").unwrap();
        assert!(again.created.is_empty());
        assert_eq!(again.already_billed, 3);
        let january = store.preview_billing_run("2027-01").unwrap();
        assert_eq!(
            january.invoices[0].lines.len(),
            2,
            "the annual line is not due in January"
        );
    }

    #[test]
    fn a_subscription_starting_mid_month_is_prorated() {
        let (_dir, store) = store();
        store
            .conn()
            .execute(
                "INSERT INTO subscriptions (customer_id, description, currency, quantity_e4, unit,
                    unit_price_e4, unit_cost_e4, tax_rate_e2, interval, start_date, created_at, updated_at)
                 SELECT customer_id, 'Intune', 'EUR', 100000, 'device', 75000, 63800, 1900, 'monthly',
                    '2026-12-19', 'x', 'x' FROM subscriptions LIMIT 1",
                [],
            )
            .unwrap();
        let run = store.preview_billing_run("2026-12").unwrap();
        let line = run.invoices[0]
            .lines
            .iter()
            .find(|l| l.description.starts_with("Intune"))
            .unwrap();
        // 10 × 7.50 × 13/31 = 31.451… → 31.45
        assert_eq!(
            line.description,
            "Intune — Dezember 2026 (anteilig 13/31 Tage)"
        );
        assert_eq!(line.amount.to_string(), "31.45");
        assert_eq!(
            (line.quantity, line.unit_price),
            (Decimal::ONE, line.amount)
        );
        let seats = &run.invoices[0].lines[0];
        assert_eq!(
            (seats.quantity.to_string(), seats.unit_price.to_string()),
            ("45".into(), "20.6".into())
        );
    }

    /// A forgotten month is proposed first; once billed, the next one that is due.
    #[test]
    fn the_first_month_to_bill_is_the_earliest_unbilled_one() {
        let (_dir, mut store) = store();
        let today = day("2026-12-05");
        assert_eq!(
            store.first_month_to_bill(today).unwrap().as_deref(),
            Some("2026-12")
        );
        store.run_billing("2026-12").unwrap();
        assert_eq!(
            store.first_month_to_bill(today).unwrap().as_deref(),
            Some("2027-01")
        );
        store.run_billing("2027-01").unwrap();
        assert_eq!(
            store.first_month_to_bill(today).unwrap(),
            None,
            "billed ahead"
        );
        // Two months later, February and March are both due: February first.
        assert_eq!(
            store
                .first_month_to_bill(day("2027-03-10"))
                .unwrap()
                .as_deref(),
            Some("2027-02")
        );
    }
}
