//! The monthly billing run over the subscriptions (DOMAIN.md §5): what it would bill,
//! customer by customer, and the drafts it creates in one transaction.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rusqlite::{params, Row};
use vardesk_core::billing::{Interval, Period, SubscriptionTerms};
use vardesk_core::billing_run::{plan, Batch, Billable};
pub use vardesk_core::billing_run::{BillingRun, RunInvoice, RunLine};
use vardesk_core::{CoreError, Currency};

use crate::invoices::{insert_invoice_line, LineOrigin};
use crate::{from_scaled, now, DbResult, Result, Store};

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
        let locale = self.settings()?.map(|s| s.locale).unwrap_or_default();
        let mut all_batches = crate::subscriptions::all_seat_batches(self.conn())?;
        let mut billed_batch = self
            .conn()
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM invoice_lines WHERE seat_batch_id = ?1)")
            .db()?;
        let mut billable = Vec::with_capacity(rows.len());
        for (sub, billed, language) in rows {
            let mut batches = Vec::new();
            for b in all_batches.remove(&sub.id).unwrap_or_default() {
                batches.push(Batch {
                    id: b.batch.id,
                    bought_on: b.batch.bought_on,
                    seats: b.batch.seats,
                    own_line: b.own_line,
                    billed: b.own_line
                        && billed_batch.query_row([b.batch.id], |r| r.get(0)).db()?,
                });
            }
            billable.push(Billable {
                id: sub.id,
                customer_id: sub.customer_id,
                customer: sub.customer,
                description: sub.description,
                currency: sub.currency,
                unit: sub.unit,
                unit_cost: from_scaled(sub.unit_cost_e4, 4),
                tax_rate_percent: from_scaled(sub.tax_rate_e2, 2),
                terms: sub.terms,
                language,
                billed,
                batches,
            });
        }
        plan(period, billable, &locale)
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
                    // A batch's line names the batch, not the period: billed once each.
                    let origin = match run_line.seat_batch_id {
                        Some(batch) => LineOrigin {
                            seat_batch_id: Some(batch),
                            ..LineOrigin::default()
                        },
                        None => LineOrigin {
                            subscription_id: Some(run_line.subscription_id),
                            period: Some(&run.period),
                            ..LineOrigin::default()
                        },
                    };
                    insert_invoice_line(tx, invoice_id, position, &run_line.line(), origin)?;
                }
                created.push(invoice_id);
            }
            Ok(created)
        })?;
        run.created = created;
        Ok(run)
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::{day, sample_store as store};
    use rust_decimal::Decimal;

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
