//! Invoices: monthly billing runs over the subscriptions (DOMAIN.md §5), issuing drafts
//! with gapless numbers (§6), payments and the status they derive. Every step that moves
//! money or numbers is one `BEGIN IMMEDIATE` transaction; triggers keep issued invoices
//! as they were issued.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension, Row, Transaction};
use rust_decimal::Decimal;
use serde::Serialize;
use vardesk_core::billing::{bill_line, Interval, Period, SubscriptionTerms};
use vardesk_core::lines::{invoice_totals, tax_rows, DocTotals, Line, LineKind, TaxRow};
use vardesk_core::money::parse_typed_decimal;
use vardesk_core::standing::{standing, DocumentKind, InvoiceFacts, InvoiceStatus};
use vardesk_core::treatment::{
    check_issuable, shown_treatment, Parties, TaxCategory, TaxKey, TaxTreatment,
};
use vardesk_core::{round_dp, CoreError, Currency, ErrorCode};

use crate::numbers::take_next;
use crate::taxes::taxed_lines;
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

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct InvoiceRow {
    pub id: i64,
    pub number: Option<String>,
    pub kind: DocumentKind,
    /// For a credit note: the number of the invoice it credits.
    pub credits: Option<String>,
    pub customer_id: i64,
    pub customer: String,
    pub status: InvoiceStatus,
    pub issue_date: Option<String>,
    pub due_date: Option<String>,
    pub currency: Currency,
    pub total: Decimal,
    pub paid: Decimal,
    /// What issued credit notes gave back (0 for a credit note itself).
    pub credited: Decimal,
    pub balance: Decimal,
    /// A draft waiting for this date (YYYY-MM-DD): the rest of a project after its deposit.
    pub scheduled_on: Option<String>,
}

/// A recorded payment with the invoice it paid, for exports.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct PaymentListed {
    pub invoice: String,
    pub customer: String,
    pub paid_on: String,
    pub currency: Currency,
    pub amount: Decimal,
    pub method: String,
    pub reference: String,
}

/// An invoice with its lines, totals per tax rate and payments, for the read-only view.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct InvoiceDetail {
    #[serde(flatten)]
    pub row: InvoiceRow,
    pub lines: Vec<Line>,
    pub nets: Vec<Decimal>,
    pub totals: vardesk_core::lines::DocTotals,
    pub payments: Vec<PaymentRow>,
    /// Each line's id and the quantity still open to a credit note, in line order.
    pub line_ids: Vec<i64>,
    pub creditable: Vec<Decimal>,
    /// The issued credit notes that correct this invoice.
    pub credit_notes: Vec<CreditNoteRef>,
    pub period: Option<String>,
    pub notes: String,
    /// Why a credit note was issued (printed on it); empty otherwise.
    pub reason: String,
    /// How the document is taxed (§9), shown beside its totals ("Reverse charge — 0 %").
    pub tax_treatment: TaxTreatment,
    /// Why an exempt document is exempt (printed on it).
    pub exemption_reason: String,
    /// The customer and company blocks as issued (JSON objects); `None` for drafts.
    #[serde(skip)]
    pub customer_snapshot: Option<serde_json::Value>,
    #[serde(skip)]
    pub company_snapshot: Option<serde_json::Value>,
    /// When it was handed to the mail app, and to whom.
    pub sent: Vec<crate::sends::Sent>,
    /// The payment reminders that listed it.
    pub reminders: Vec<crate::reminders::ReminderRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct CreditNoteRef {
    pub id: i64,
    pub number: String,
    pub issue_date: String,
    pub total: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct PaymentRow {
    pub id: i64,
    /// For a reversal: the payment it cancels.
    pub reverses: Option<i64>,
    /// Whether a later reversal cancelled this payment.
    pub reversed: bool,
    /// Negative for a refund or a reversal of a payment.
    pub amount: Decimal,
    pub paid_on: String,
    pub method: String,
    pub reference: String,
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

/// An invoice's period, notes and issued snapshots as stored.
struct Snapshots {
    period: Option<String>,
    notes: String,
    customer: Option<String>,
    company: Option<String>,
    reason: String,
    exemption_reason: String,
}

/// An invoice's columns as stored.
struct StoredInvoice {
    id: i64,
    kind: String,
    credited: Option<String>,
    number: Option<String>,
    customer_id: i64,
    customer: String,
    status: String,
    issue: Option<String>,
    due: Option<String>,
    currency: String,
    total_minor: Option<i64>,
    paid_minor: i64,
    credited_minor: i64,
    /// Whether any payment above 0 was recorded (for `partially_paid`).
    any_positive: bool,
    scheduled_on: Option<String>,
}

/// An invoice row with what was paid and credited on it, in one query.
const ROW_SELECT: &str = "SELECT i.id, i.number, i.customer_id, c.name, i.status, i.issue_date,
        i.due_date, i.currency, i.total_minor,
        CASE WHEN i.imported = 1 THEN 'imported' ELSE i.kind END,
        (SELECT number FROM invoices o WHERE o.id = i.credited_invoice_id),
        (SELECT coalesce(sum(amount_minor), 0) FROM payments p WHERE p.invoice_id = i.id),
        (SELECT coalesce(sum(total_minor), 0) FROM invoices n
         WHERE n.credited_invoice_id = i.id AND n.status = 'issued'),
        EXISTS (SELECT 1 FROM payments p WHERE p.invoice_id = i.id AND p.amount_minor > 0
            AND p.reverses_payment_id IS NULL
            AND NOT EXISTS (SELECT 1 FROM payments r WHERE r.reverses_payment_id = p.id)),
        i.scheduled_on
    FROM invoices i JOIN customers c ON c.id = i.customer_id";

fn stored_invoice(r: &Row<'_>) -> rusqlite::Result<StoredInvoice> {
    Ok(StoredInvoice {
        id: r.get(0)?,
        number: r.get(1)?,
        customer_id: r.get(2)?,
        customer: r.get(3)?,
        status: r.get(4)?,
        issue: r.get(5)?,
        due: r.get(6)?,
        currency: r.get(7)?,
        total_minor: r.get(8)?,
        kind: r.get(9)?,
        credited: r.get(10)?,
        paid_minor: r.get(11)?,
        credited_minor: r.get(12)?,
        any_positive: r.get(13)?,
        scheduled_on: r.get(14)?,
    })
}

pub(crate) fn not_found(id: i64) -> CoreError {
    CoreError::new(ErrorCode::NotFound, format!("Invoice {id} does not exist."))
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
                for (position, line) in inv.lines.iter().enumerate() {
                    insert_billed_line(tx, invoice_id, position, line, &run.period)?;
                }
                created.push(invoice_id);
            }
            Ok(created)
        })?;
        run.created = created;
        Ok(run)
    }

    /// Issues a draft: the next number, issue and due dates, the customer's snapshot and the
    /// totals, in one transaction. Issuing an issued invoice again returns it unchanged.
    pub fn issue_invoice(&mut self, id: i64, issue_date: NaiveDate) -> Result<InvoiceRow> {
        let settings = self.require_settings()?;
        self.write(|tx| {
            let (status, customer_id, currency): (String, i64, String) = tx
                .query_row("SELECT status, customer_id, currency FROM invoices WHERE id = ?1", [id], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })
                .optional()
                .db()?
                .ok_or_else(|| not_found(id))?;
            if status != "draft" {
                return Ok(()); // issued once already: a retry or double click changes nothing
            }
            let currency = Currency::parse(&currency)?;
            let undeducted: i64 = tx
                .query_row(
                    "SELECT count(*) FROM invoice_lines l JOIN invoices d ON d.id = l.deducts_invoice_id
                     WHERE l.invoice_id = ?1 AND d.status <> 'issued'",
                    [id],
                    |r| r.get(0),
                )
                .db()?;
            if undeducted > 0 {
                return Err(CoreError::new(
                    ErrorCode::Conflict,
                    "This final invoice deducts a deposit that is not issued yet: issue the deposit invoice first.",
                ));
            }
            let lines = taxed_lines(tx, id)?;
            if lines.is_empty() {
                return Err(CoreError::validation("lines", "An invoice needs at least one line before it is issued."));
            }
            let totals = invoice_totals(&lines, currency)?;
            let customer = customer_snapshot(tx, customer_id)?;
            let (snapshot, terms, (treatment, exemption_reason)) = customer;
            let parties = Parties {
                company_country: &settings.country,
                company_vat_id: &settings.tax_id,
                company_tax_number: &settings.tax_number,
                company_legal_registration: &settings.legal_registration,
                company_iban: &settings.iban,
                customer_name: snapshot["name"].as_str().unwrap_or_default(),
                customer_vat_id: snapshot["vat_id"].as_str().unwrap_or_default(),
                exemption_reason: &exemption_reason,
                small_business: settings.small_business,
            };
            check_issuable(&parties, &lines)?;
            fix_line_taxes(tx, id, &lines)?;
            let customer = (terms,);
            let company = crate::settings::company_snapshot(&settings);
            let taken = take_next(tx, "invoice", &settings.invoice_number_template, issue_date)?;
            let due = issue_date + chrono::Days::new(u64::from(customer.0));
            // A final invoice waiting on this deposit now names it on its deduction lines.
            let language = snapshot["language"].as_str().unwrap_or("en");
            let deduction = vardesk_core::i18n::texts(language)
                .fill("deposit.deduction", &[("number", &taken.number)]);
            tx.execute(
                "UPDATE invoice_lines SET description = ?2 WHERE deducts_invoice_id = ?1
                    AND (SELECT status FROM invoices WHERE id = invoice_id) = 'draft'",
                params![id, deduction],
            )
            .db()?;
            store_tax_rows(tx, id, currency, &totals.taxes)?;
            tx.execute(
                "UPDATE invoices SET status = 'issued', number = ?2, issue_date = ?3, due_date = ?4,
                    customer_snapshot = ?5, subtotal_minor = ?6, tax_minor = ?7, total_minor = ?8,
                    updated_at = ?9, company_snapshot = ?10, seq_year = ?11, seq_value = ?12,
                    logo_id = ?13, tax_treatment = ?14, exemption_reason = ?15
                 WHERE id = ?1 AND status = 'draft'",
                params![
                    id,
                    taken.number,
                    issue_date.to_string(),
                    due.to_string(),
                    snapshot.to_string(),
                    currency.to_minor(totals.subtotal)?,
                    currency.to_minor(totals.tax_total)?,
                    currency.to_minor(totals.total)?,
                    now(),
                    company.to_string(),
                    taken.year,
                    taken.value,
                    freeze_logo(tx)?,
                    treatment,
                    if settings.small_business { String::new() } else { exemption_reason.clone() }
                ],
            )
            .db()?;
            Ok(())
        })?;
        self.invoice_row(id, issue_date)
    }

    /// Issues every draft from a billing run (`period`) or all drafts (`None`), oldest first.
    /// Each is its own transaction: one that cannot be issued is reported and the rest go on.
    pub fn issue_all_drafts(
        &mut self,
        period: Option<&str>,
        issue_date: NaiveDate,
    ) -> Result<(Vec<InvoiceRow>, Vec<String>)> {
        let ids: Vec<i64> = crate::all_rows::<(i64,)>(
            self.conn(),
            "SELECT id FROM invoices WHERE status = 'draft' AND kind = 'invoice'
                AND (?1 IS NULL OR period = ?1) ORDER BY id",
            [period],
        )?
        .into_iter()
        .map(|(id,)| id)
        .collect();
        self.issue_drafts(&ids, issue_date)
    }

    /// Issues the draft invoices `ids` (the ones ticked), oldest first, each in its own
    /// transaction; what is no longer a draft is left as it is.
    pub fn issue_drafts(
        &mut self,
        ids: &[i64],
        issue_date: NaiveDate,
    ) -> Result<(Vec<InvoiceRow>, Vec<String>)> {
        let mut ids = ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        // Every id is looked up first: an unknown one is refused before anything is issued.
        let rows = ids
            .iter()
            .map(|id| self.invoice_row(*id, issue_date))
            .collect::<Result<Vec<_>>>()?;
        let (mut issued, mut problems) = (Vec::new(), Vec::new());
        for row in rows {
            if row.status != vardesk_core::standing::InvoiceStatus::Draft
                || row.kind != vardesk_core::standing::DocumentKind::Invoice
            {
                continue;
            }
            match self.issue_invoice(row.id, issue_date) {
                Ok(row) => issued.push(row),
                Err(e) => problems.push(format!("{}: {}", row.customer, e.message)),
            }
        }
        Ok((issued, problems))
    }

    /// What the draft invoices `ids` add up to, per currency (before they are issued).
    pub fn draft_totals(&self, ids: &[i64], today: NaiveDate) -> Result<Vec<CurrencyTotal>> {
        let rows = ids
            .iter()
            .map(|id| self.invoice_row(*id, today))
            .collect::<Result<Vec<_>>>()?;
        Ok(sum_by_currency(rows.iter().filter(|r| {
            r.status == vardesk_core::standing::InvoiceStatus::Draft
                && r.kind == vardesk_core::standing::DocumentKind::Invoice
        })))
    }

    /// Records a payment (DOMAIN.md §6.1): a positive amount is at most the balance; a
    /// negative one is a refund, only while the balance is negative and at most what is owed
    /// back. A refund that settles a fully credited invoice makes it void.
    pub fn record_payment(
        &mut self,
        invoice_id: i64,
        amount: &str,
        paid_on: NaiveDate,
        method: &str,
        reference: &str,
    ) -> Result<InvoiceRow> {
        let row = self.payable(invoice_id, paid_on)?;
        let amount = parse_typed_decimal("amount", amount)?;
        let currency = row.currency;
        if amount.is_zero() || currency.round(amount) != amount.normalize() {
            return Err(CoreError::validation(
                "amount",
                format!(
                    "The amount must not be 0 and may have at most {} decimals.",
                    currency.minor_units()
                ),
            ));
        }
        let plain = |v: Decimal| format!("{} {currency}", currency.format_plain(v));
        if amount > Decimal::ZERO && amount > row.balance {
            let why = if row.balance > Decimal::ZERO {
                format!(
                    "{} is more than the open balance of {}.",
                    plain(amount),
                    plain(row.balance)
                )
            } else {
                format!(
                    "Nothing is open on {}: it cannot be paid.",
                    row.number.clone().unwrap_or_default()
                )
            };
            return Err(CoreError::validation("amount", why));
        }
        if amount < Decimal::ZERO && amount < row.balance {
            let why = if row.balance < Decimal::ZERO {
                format!(
                    "A refund of {} is more than the {} owed back.",
                    plain(-amount),
                    plain(-row.balance)
                )
            } else {
                "A refund (a negative amount) is possible only while a refund is due.".to_string()
            };
            return Err(CoreError::validation("amount", why));
        }
        check_text("method", "The method", method)?;
        check_text("reference", "The reference", reference)?;
        let minor = currency.to_minor(amount)?;
        self.write(|tx| {
            tx.execute(
                "INSERT INTO payments (invoice_id, amount_minor, paid_on, method, reference, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![invoice_id, minor, paid_on.to_string(), method.trim(), reference.trim(), now()],
            )
            .db()?;
            crate::credits::void_when_settled(tx, invoice_id)
        })?;
        self.invoice_row(invoice_id, paid_on)
    }

    /// Cancels a wrongly recorded payment with a reversal entry (−its amount, referencing
    /// it); the payment itself is never edited or deleted.
    pub fn reverse_payment(
        &mut self,
        invoice_id: i64,
        payment_id: i64,
        on: NaiveDate,
    ) -> Result<InvoiceRow> {
        let row = self.payable(invoice_id, on)?;
        let found: Option<(i64, Option<i64>, bool, String)> = self
            .conn()
            .query_row(
                "SELECT amount_minor, reverses_payment_id,
                    EXISTS (SELECT 1 FROM payments r WHERE r.reverses_payment_id = p.id), paid_on
                 FROM payments p WHERE id = ?1 AND invoice_id = ?2",
                params![payment_id, invoice_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()
            .db()?;
        let number = row.number.clone().unwrap_or_default();
        let Some((minor, reverses, reversed, paid_on)) = found else {
            return Err(CoreError::new(
                ErrorCode::NotFound,
                format!("Payment {payment_id} is not a payment of {number}."),
            ));
        };
        if reverses.is_some() {
            return Err(CoreError::validation(
                "payment",
                format!("Payment {payment_id} is itself a reversal: it cannot be reversed."),
            ));
        }
        if reversed {
            return Err(CoreError::new(
                ErrorCode::Conflict,
                format!("Payment {payment_id} was already reversed."),
            ));
        }
        self.write(|tx| {
            tx.execute(
                "INSERT INTO payments (invoice_id, amount_minor, paid_on, method, reference,
                    created_at, reverses_payment_id)
                 VALUES (?1, ?2, ?3, 'reversal', ?4, ?5, ?6)",
                params![
                    invoice_id,
                    -minor,
                    on.to_string(),
                    format!(
                        "reverses the payment of {} {} on {paid_on}",
                        row.currency.format_plain(row.currency.from_minor(minor)),
                        row.currency
                    ),
                    now(),
                    payment_id
                ],
            )
            .db()?;
            crate::credits::void_when_settled(tx, invoice_id)
        })?;
        self.invoice_row(invoice_id, on)
    }

    /// The invoice a payment, refund or reversal goes to: issued, not void, not a credit note.
    fn payable(&self, invoice_id: i64, today: NaiveDate) -> Result<InvoiceRow> {
        let row = self.invoice_row(invoice_id, today)?;
        if row.number.is_none() {
            return Err(CoreError::validation(
                "invoice",
                "Only an issued invoice can be paid.",
            ));
        }
        if row.status == vardesk_core::standing::InvoiceStatus::Void
            || row.kind == vardesk_core::standing::DocumentKind::CreditNote
        {
            return Err(CoreError::validation(
                "invoice",
                format!(
                    "{} is {}: payments go to open invoices.",
                    row.number.clone().unwrap_or_default(),
                    if row.kind == vardesk_core::standing::DocumentKind::CreditNote {
                        "a credit note"
                    } else {
                        "void"
                    }
                ),
            ));
        }
        Ok(row)
    }

    /// Invoices, drafts first then newest first, with their derived status; `search` finds
    /// a number or a customer name (accents and case ignored).
    pub fn list_invoices(
        &self,
        status: Option<&str>,
        search: Option<&str>,
        today: NaiveDate,
    ) -> Result<Vec<InvoiceRow>> {
        self.invoices_where(status, search, None, today)
    }

    /// One customer's invoices and credit notes, drafts first, then the newest.
    pub fn customer_invoices(&self, customer_id: i64, today: NaiveDate) -> Result<Vec<InvoiceRow>> {
        self.invoices_where(None, None, Some(customer_id), today)
    }

    fn invoices_where(
        &self,
        status: Option<&str>,
        search: Option<&str>,
        customer_id: Option<i64>,
        today: NaiveDate,
    ) -> Result<Vec<InvoiceRow>> {
        let needle = search
            .map(vardesk_core::search::fold)
            .filter(|s| !s.trim().is_empty());
        let sql = format!(
            "{ROW_SELECT} WHERE (?1 IS NULL OR instr(lower(coalesce(i.number, '')), ?1) > 0
                OR instr(c.name_fold, ?1) > 0) AND (?2 IS NULL OR i.customer_id = ?2)
             ORDER BY i.number IS NOT NULL, i.issue_date DESC, i.id DESC"
        );
        let mut stmt = self.conn().prepare_cached(&sql).db()?;
        let stored = stmt
            .query_map(params![needle, customer_id], stored_invoice)
            .db()?
            .collect::<rusqlite::Result<Vec<_>>>()
            .db()?;
        let mut rows = Vec::with_capacity(stored.len());
        for s in stored {
            let row = self.derive_row(s, today)?;
            if status.is_none_or(|wanted| wanted == row.status.as_str()) {
                rows.push(row);
            }
        }
        Ok(rows)
    }

    /// Every payment, oldest first.
    pub fn list_payments(&self) -> Result<Vec<PaymentListed>> {
        type Paid = (String, String, String, String, i64, String, String);
        let rows: Vec<Paid> = crate::all_rows(
            self.conn(),
            "SELECT coalesce(i.number, ''), c.name, p.paid_on, i.currency, p.amount_minor,
                p.method, p.reference
             FROM payments p JOIN invoices i ON i.id = p.invoice_id
             JOIN customers c ON c.id = i.customer_id ORDER BY p.paid_on, p.id",
            [],
        )?;
        rows.into_iter()
            .map(
                |(invoice, customer, paid_on, code, minor, method, reference)| {
                    let currency = Currency::parse(&code)?;
                    Ok(PaymentListed {
                        invoice,
                        customer,
                        paid_on,
                        currency,
                        amount: currency.from_minor(minor),
                        method,
                        reference,
                    })
                },
            )
            .collect()
    }

    /// One invoice with everything the read-only view shows.
    pub fn invoice(&self, id: i64, today: NaiveDate) -> Result<InvoiceDetail> {
        let row = self.invoice_row(id, today)?;
        // A draft's lines as typed (the editor keeps their rates; the customer's treatment
        // decides the totals below); an issued document's as issued.
        let lines = invoice_lines(self.conn(), id)?;
        let tax_treatment = shown_treatment(&taxed_lines(self.conn(), id)?);
        let totals = document_totals(self.conn(), id, row.currency)?;
        let nets = totals.line_amounts.clone();
        let mut stmt = self
            .conn()
            .prepare(
                "SELECT amount_minor, paid_on, method, reference, id, reverses_payment_id,
                    EXISTS (SELECT 1 FROM payments r WHERE r.reverses_payment_id = p.id)
                 FROM payments p WHERE invoice_id = ?1 ORDER BY paid_on, id",
            )
            .db()?;
        let payments = stmt
            .query_map([id], |r| {
                Ok(PaymentRow {
                    amount: row.currency.from_minor(r.get(0)?),
                    paid_on: r.get(1)?,
                    method: r.get(2)?,
                    reference: r.get(3)?,
                    id: r.get(4)?,
                    reverses: r.get(5)?,
                    reversed: r.get(6)?,
                })
            })
            .db()?
            .collect::<rusqlite::Result<Vec<_>>>()
            .db()?;
        let stored = self
            .conn()
            .query_row(
                "SELECT period, notes, customer_snapshot, company_snapshot, reason, exemption_reason,
                    (SELECT exemption_reason FROM customers c WHERE c.id = i.customer_id)
                 FROM invoices i WHERE id = ?1",
                [id],
                |r| {
                    Ok(Snapshots {
                        period: r.get(0)?,
                        notes: r.get(1)?,
                        customer: r.get(2)?,
                        company: r.get(3)?,
                        reason: r.get(4)?,
                        exemption_reason: match r.get::<_, String>(5)? {
                            fixed if !fixed.is_empty() => fixed,
                            _ => r.get(6)?,
                        },
                    })
                },
            )
            .db()?;
        let parse = |j: Option<String>| j.and_then(|j| serde_json::from_str(&j).ok());
        let (line_ids, creditable) = crate::credits::creditable_lines(self.conn(), id)?
            .into_iter()
            .unzip();
        let credit_notes = crate::credits::credit_notes_of(self.conn(), id, row.currency)?;
        Ok(InvoiceDetail {
            row,
            lines,
            nets,
            totals,
            payments,
            line_ids,
            creditable,
            credit_notes,
            period: stored.period,
            notes: stored.notes,
            reason: stored.reason,
            tax_treatment,
            exemption_reason: stored.exemption_reason,
            customer_snapshot: parse(stored.customer),
            company_snapshot: parse(stored.company),
            sent: self.sends(crate::sends::Document::Invoice(id))?,
            reminders: self.reminders_of_invoice(id)?,
        })
    }

    pub fn invoice_row(&self, id: i64, today: NaiveDate) -> Result<InvoiceRow> {
        let stored = self
            .conn()
            .prepare_cached(&format!("{ROW_SELECT} WHERE i.id = ?1"))
            .db()?
            .query_row([id], stored_invoice)
            .optional()
            .db()?
            .ok_or_else(|| not_found(id))?;
        self.derive_row(stored, today)
    }

    /// The row with its figures and derived status (§6).
    fn derive_row(&self, stored: StoredInvoice, today: NaiveDate) -> Result<InvoiceRow> {
        let StoredInvoice {
            id,
            kind,
            credited: credits,
            number,
            customer_id,
            customer,
            status,
            issue,
            due,
            currency,
            total_minor,
            paid_minor,
            credited_minor,
            any_positive: paid_minor_positive,
            scheduled_on,
        } = stored;
        let currency = Currency::parse(&currency)?;
        let total = match total_minor {
            Some(minor) => currency.from_minor(minor),
            None => invoice_totals(&invoice_lines(self.conn(), id)?, currency)?.total,
        };
        let paid = currency.from_minor(paid_minor);
        let credited = currency.from_minor(credited_minor);
        let kind = DocumentKind::from_stored(&kind);
        let standing = standing(InvoiceFacts {
            draft: status == "draft",
            kind,
            total,
            paid,
            credited,
            some_payment: paid_minor_positive,
            due: due.as_deref().and_then(|d| d.parse::<NaiveDate>().ok()),
            today,
        });
        let (shown, balance) = (standing.status, standing.balance);
        Ok(InvoiceRow {
            id,
            number,
            kind,
            credits,
            customer_id,
            customer,
            status: shown,
            issue_date: issue,
            due_date: due,
            currency,
            total,
            paid,
            credited,
            balance,
            // Only a draft waits for its date.
            scheduled_on: scheduled_on.filter(|_| shown == InvoiceStatus::Draft),
        })
    }
}

/// What the listed invoices add up to in one currency: issued invoices (not void, not
/// credit notes) and what is still open on them.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct CurrencyTotal {
    pub currency: Currency,
    pub count: usize,
    pub total: Decimal,
    pub balance: Decimal,
}

/// Totals per currency, in currency-code order: amounts in different currencies are never added.
pub fn currency_totals(rows: &[InvoiceRow]) -> Vec<CurrencyTotal> {
    sum_by_currency(rows.iter().filter(|r| {
        r.kind != vardesk_core::standing::DocumentKind::CreditNote
            && r.number.is_some()
            && r.status != vardesk_core::standing::InvoiceStatus::Void
    }))
}

fn sum_by_currency<'a>(rows: impl Iterator<Item = &'a InvoiceRow>) -> Vec<CurrencyTotal> {
    let mut by_currency: BTreeMap<String, CurrencyTotal> = BTreeMap::new();
    for row in rows {
        let entry = by_currency
            .entry(row.currency.code().to_string())
            .or_insert(CurrencyTotal {
                currency: row.currency,
                count: 0,
                total: Decimal::ZERO,
                balance: Decimal::ZERO,
            });
        entry.count += 1;
        entry.total += row.total;
        entry.balance += row.balance;
    }
    by_currency.into_values().collect()
}

/// A billed line: seats × price less the discount, or 1 × the prorated amount (see
/// `RunLine::quantity`).
fn insert_billed_line(
    tx: &Transaction<'_>,
    invoice_id: i64,
    position: usize,
    line: &RunLine,
    period: &str,
) -> Result<()> {
    // A batch's line names the batch, not the subscription's period (billed once each).
    let (subscription_id, period) = match line.seat_batch_id {
        Some(_) => (None, None),
        None => (Some(line.subscription_id), Some(period)),
    };
    tx.execute(
        "INSERT INTO invoice_lines (invoice_id, position, description, quantity_e4, unit,
            unit_price_e4, unit_cost_e4, discount_e2, tax_rate_e2, subscription_id, period,
            seat_batch_id)
         VALUES (?1, ?2, ?3, ?10, ?4, ?5, ?6, ?11, ?7, ?8, ?9, ?12)",
        params![
            invoice_id,
            position as i64,
            line.description,
            line.unit,
            to_scaled(line.unit_price, 4)?,
            line.unit_cost_e4,
            line.tax_rate_e2,
            subscription_id,
            period,
            to_scaled(line.quantity, 4)?,
            to_scaled(line.discount_percent, 2)?,
            line.seat_batch_id
        ],
    )
    .db()?;
    Ok(())
}

/// Free text on a payment: one line, at most 200 characters.
fn check_text(field: &str, label: &str, text: &str) -> Result<()> {
    if text.chars().count() > 200 || text.chars().any(|c| c.is_control()) {
        return Err(CoreError::validation(
            field,
            format!("{label} must be one line of at most 200 characters."),
        ));
    }
    Ok(())
}

/// A document's figures: for issued documents its stored line amounts and tax rows (credit
/// notes' cumulative figures, §6.1), else §2 on its lines.
pub(crate) fn document_totals(
    conn: &rusqlite::Connection,
    id: i64,
    currency: Currency,
) -> Result<DocTotals> {
    let lines = taxed_lines(conn, id)?;
    let computed = invoice_totals(&lines, currency)?;
    let mut stmt = conn
        .prepare_cached(
            "SELECT net_minor FROM invoice_lines WHERE invoice_id = ?1 ORDER BY position",
        )
        .db()?;
    let stored: Vec<Option<i64>> = stmt
        .query_map([id], |r| r.get(0))
        .db()?
        .collect::<rusqlite::Result<_>>()
        .db()?;
    if stored.iter().all(Option::is_none) {
        if let Some(taxes) = stored_tax_rows(conn, id, currency)? {
            return Ok(DocTotals {
                tax_total: taxes.iter().map(|t| t.tax).sum(),
                total: computed.subtotal + taxes.iter().map(|t| t.tax).sum::<Decimal>(),
                taxes,
                ..computed
            });
        }
        return Ok(computed);
    }
    let line_amounts: Vec<Decimal> = stored
        .iter()
        .zip(&computed.line_amounts)
        .map(|(s, c)| s.map_or(*c, |m| currency.from_minor(m)))
        .collect();
    let taxes = match stored_tax_rows(conn, id, currency)? {
        Some(rows) => rows,
        None => tax_rows(
            lines
                .iter()
                .map(TaxKey::of)
                .zip(line_amounts.iter().copied()),
            currency,
        ),
    };
    let subtotal: Decimal = line_amounts.iter().sum();
    let tax_total: Decimal = taxes.iter().map(|t| t.tax).sum();
    Ok(DocTotals {
        subtotal,
        taxes,
        tax_total,
        total: subtotal + tax_total,
        line_amounts,
    })
}

/// The company logo as a document issued now keeps it: its row in `document_logos` (one per
/// distinct logo), or `None` without a logo.
pub(crate) fn freeze_logo(tx: &Transaction<'_>) -> Result<Option<i64>> {
    tx.execute(
        "INSERT OR IGNORE INTO document_logos (bytes)
         SELECT logo FROM settings WHERE id = 1 AND logo IS NOT NULL",
        [],
    )
    .db()?;
    tx.query_row(
        "SELECT d.id FROM document_logos d JOIN settings s ON s.id = 1 AND s.logo = d.bytes",
        [],
        |r| r.get(0),
    )
    .optional()
    .db()
}

impl Store {
    /// The logo an issued document was issued with; the company's logo today for a draft.
    pub fn document_logo(&self, id: i64) -> Result<Option<Vec<u8>>> {
        let frozen: Option<(String, Option<Vec<u8>>)> = self
            .conn()
            .query_row(
                "SELECT i.status, d.bytes FROM invoices i
                 LEFT JOIN document_logos d ON d.id = i.logo_id WHERE i.id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .db()?;
        match frozen {
            Some((status, bytes)) if status != "draft" => Ok(bytes),
            _ => self.logo(),
        }
    }
}

/// Fixes each line's category and rate as taxed, while the document is still a draft.
pub(crate) fn fix_line_taxes(tx: &Transaction<'_>, id: i64, taxed: &[Line]) -> Result<()> {
    let line_ids: Vec<i64> = {
        let mut stmt = tx
            .prepare_cached("SELECT id FROM invoice_lines WHERE invoice_id = ?1 ORDER BY position")
            .db()?;
        let ids = stmt.query_map([id], |r| r.get(0)).db()?;
        ids.collect::<rusqlite::Result<_>>().db()?
    };
    for (line_id, line) in line_ids.iter().zip(taxed) {
        tx.execute(
            "UPDATE invoice_lines SET tax_rate_e2 = ?3, tax_category = ?4
             WHERE invoice_id = ?1 AND id = ?2",
            params![
                id,
                line_id,
                to_scaled(line.tax_rate_percent.unwrap_or_default(), 2)?,
                line.tax_category.map(|c| c.code())
            ],
        )
        .db()?;
    }
    Ok(())
}

/// Freezes a document's tax rows as issued (§6: they are printed, never recomputed).
pub(crate) fn store_tax_rows(
    tx: &Transaction<'_>,
    id: i64,
    currency: Currency,
    taxes: &[TaxRow],
) -> Result<()> {
    tx.execute("DELETE FROM document_tax_rows WHERE invoice_id = ?1", [id])
        .db()?;
    for t in taxes {
        tx.execute(
            "INSERT INTO document_tax_rows (invoice_id, rate_e2, category, base_minor, tax_minor)
             VALUES (?1, ?2, ?5, ?3, ?4)",
            params![
                id,
                to_scaled(t.rate_percent, 2)?,
                currency.to_minor(t.base)?,
                currency.to_minor(t.tax)?,
                t.category.code()
            ],
        )
        .db()?;
    }
    Ok(())
}

/// The tax rows stored when the document was issued; `None` for drafts and for documents
/// issued before they were stored (their rows are the §2 rows of their lines).
pub(crate) fn stored_tax_rows(
    conn: &rusqlite::Connection,
    id: i64,
    currency: Currency,
) -> Result<Option<Vec<TaxRow>>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT rate_e2, base_minor, tax_minor, category FROM document_tax_rows
             WHERE invoice_id = ?1 ORDER BY rate_e2, category",
        )
        .db()?;
    let rows: Vec<TaxRow> = stmt
        .query_map([id], |r| {
            let rate = from_scaled(r.get(0)?, 2).normalize();
            Ok(TaxRow {
                rate_percent: rate,
                category: TaxCategory::parse(&r.get::<_, String>(3)?)
                    .unwrap_or(TaxCategory::domestic(rate)),
                base: currency.from_minor(r.get(1)?),
                tax: currency.from_minor(r.get(2)?),
            })
        })
        .db()?
        .collect::<rusqlite::Result<_>>()
        .db()?;
    Ok((!rows.is_empty()).then_some(rows))
}

/// The customer as an issued document keeps it (JSON), with its payment terms and its tax
/// treatment and exemption reason.
pub(crate) fn customer_snapshot(
    conn: &rusqlite::Connection,
    customer_id: i64,
) -> Result<(serde_json::Value, u32, (String, String))> {
    conn.query_row(
        "SELECT name, address_line1, address_line2, postal_code, city, country, tax_id,
                payment_terms_days, vat_id, tax_treatment, exemption_reason, buyer_reference,
                peppol_id, language, email, contact_name
             FROM customers WHERE id = ?1",
        [customer_id],
        |r| {
            let text = |i: usize| r.get::<_, String>(i);
            Ok((
                serde_json::json!({
                    "name": text(0)?, "address_line1": text(1)?, "address_line2": text(2)?,
                    "postal_code": text(3)?, "city": text(4)?, "country": text(5)?,
                    "tax_id": text(6)?, "vat_id": text(8)?, "buyer_reference": text(11)?,
                    "peppol_id": text(12)?,
                    "language": vardesk_core::language::of_customer(&text(13)?, &text(5)?),
                    "email": text(14)?, "contact_name": text(15)?,
                }),
                r.get::<_, u32>(7)?,
                (text(9)?, text(10)?),
            ))
        },
    )
    .db()
}

/// A document's lines in order. A deposit's deduction line (§6.1) is stored with a positive
/// quantity and comes back as its negative, the one negative line a document may have.
pub(crate) fn invoice_lines(conn: &rusqlite::Connection, invoice_id: i64) -> Result<Vec<Line>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT description,
                CASE WHEN deducts_invoice_id IS NULL THEN quantity_e4 ELSE -quantity_e4 END, unit, unit_price_e4, unit_cost_e4, discount_e2, tax_rate_e2,
                goods, tax_category
             FROM invoice_lines WHERE invoice_id = ?1 ORDER BY position",
        )
        .db()?;
    let lines = stmt
        .query_map([invoice_id], |r| {
            Ok(Line {
                description: r.get(0)?,
                quantity: from_scaled(r.get(1)?, 4),
                unit: r.get(2)?,
                unit_price: from_scaled(r.get(3)?, 4),
                unit_cost: Some(from_scaled(r.get(4)?, 4)),
                discount_percent: Some(from_scaled(r.get(5)?, 2)),
                tax_rate_percent: Some(from_scaled(r.get(6)?, 2)),
                kind: LineKind::OneTime,
                goods: r.get(7)?,
                tax_category: r
                    .get::<_, Option<String>>(8)?
                    .as_deref()
                    .and_then(TaxCategory::parse),
            })
        })
        .db()?
        .collect::<rusqlite::Result<Vec<_>>>()
        .db()?;
    Ok(lines)
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

    #[test]
    fn issuing_takes_gapless_numbers_once() {
        let (_dir, mut store) = store();
        let run = store.run_billing("2026-12").unwrap();
        let billed = run.created[0];
        let from_quote: i64 = store
            .conn()
            .query_row(
                "SELECT id FROM invoices WHERE quote_id IS NOT NULL",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let empty = store.write(|tx| {
            tx.execute(
                "INSERT INTO invoices (customer_id, status, currency, created_at, updated_at)
                 SELECT customer_id, 'draft', currency, 'x', 'x' FROM invoices WHERE id = ?1",
                [billed],
            )
            .db()?;
            Ok(tx.last_insert_rowid())
        });
        let empty = empty.unwrap();
        assert!(
            store.issue_invoice(empty, day("2026-12-01")).is_err(),
            "no lines: refused"
        );

        let first = store.issue_invoice(billed, day("2026-12-01")).unwrap();
        assert_eq!(first.number.as_deref(), Some("INV-2026-0001"));
        assert_eq!(first.due_date.as_deref(), Some("2026-12-15"));
        let twice = store.issue_invoice(billed, day("2026-12-02")).unwrap();
        assert_eq!(twice, first);
        let second = store.issue_invoice(from_quote, day("2026-12-31")).unwrap();
        assert_eq!(second.number.as_deref(), Some("INV-2026-0002"));
        let january = store.run_billing("2027-01").unwrap().created[0];
        let third = store.issue_invoice(january, day("2027-01-02")).unwrap();
        assert_eq!(third.number.as_deref(), Some("INV-2027-0001"));
        assert_eq!(first.total.to_string(), "1546.70"); // 1,299.75 + 19 % (246.95)
    }

    #[test]
    fn issue_all_issues_the_runs_drafts_in_order() {
        let (_dir, mut store) = store();
        store.run_billing("2026-12").unwrap();
        let (issued, problems) = store
            .issue_all_drafts(Some("2026-12"), day("2026-12-01"))
            .unwrap();
        assert_eq!((issued.len(), problems.len()), (1, 0));
        assert_eq!(issued[0].number.as_deref(), Some("INV-2026-0001"));
        let (rest, _) = store.issue_all_drafts(None, day("2026-12-01")).unwrap();
        assert_eq!(rest.len(), 1, "the accepted quote's draft");
        assert!(store
            .issue_all_drafts(None, day("2026-12-01"))
            .unwrap()
            .0
            .is_empty());
    }

    /// Only the ticked drafts are issued; their totals are summed per currency first, and
    /// ids that are no longer drafts (issued meanwhile, unknown) change nothing.
    #[test]
    fn the_ticked_drafts_are_issued_and_summed_per_currency() {
        let (_dir, mut store) = store();
        let run = store.run_billing("2026-12").unwrap().created[0];
        let (quote_draft,) = crate::all_rows::<(i64,)>(
            store.conn(),
            "SELECT id FROM invoices WHERE status = 'draft' AND id <> ?1",
            [run],
        )
        .unwrap()[0];
        let both = store
            .draft_totals(&[run, quote_draft], day("2026-12-01"))
            .unwrap();
        let one = store.draft_totals(&[run], day("2026-12-01")).unwrap();
        assert_eq!((both.len(), both[0].count, one[0].count), (1, 2, 1));
        let row = |id| store.invoice_row(id, day("2026-12-01")).unwrap().total;
        assert_eq!(both[0].total, row(run) + row(quote_draft));

        let unknown = store.issue_drafts(&[run, run, 999_999], day("2026-12-01"));
        assert!(unknown.is_err(), "an unknown id is refused");
        assert_eq!(
            store.invoice_row(run, day("2026-12-01")).unwrap().status,
            vardesk_core::standing::InvoiceStatus::Draft,
            "before anything is issued"
        );
        let (issued, problems) = store.issue_drafts(&[run, run], day("2026-12-01")).unwrap();
        assert_eq!((issued.len(), problems.len()), (1, 0));
        assert_eq!(
            store
                .invoice_row(quote_draft, day("2026-12-01"))
                .unwrap()
                .status,
            vardesk_core::standing::InvoiceStatus::Draft
        );
        // Issued meanwhile: neither issued again nor counted.
        assert!(store
            .issue_drafts(&[run], day("2026-12-02"))
            .unwrap()
            .0
            .is_empty());
        assert!(store
            .draft_totals(&[run], day("2026-12-02"))
            .unwrap()
            .is_empty());
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

    #[test]
    fn issued_invoices_are_kept_by_the_database_itself() {
        let (_dir, mut store) = store();
        let id = store.run_billing("2026-12").unwrap().created[0];
        store.issue_invoice(id, day("2026-12-01")).unwrap();
        let c = store.conn();
        for sql in [
            "UPDATE invoices SET total_minor = 1 WHERE id = ?1",
            "UPDATE invoices SET number = 'INV-X' WHERE id = ?1",
            "DELETE FROM invoices WHERE id = ?1",
            "UPDATE invoice_lines SET unit_price_e4 = 1 WHERE invoice_id = ?1",
            "DELETE FROM invoice_lines WHERE invoice_id = ?1",
            "INSERT INTO invoice_lines (invoice_id, position, description, quantity_e4, unit_price_e4, tax_rate_e2)
             VALUES (?1, 99, 'extra', 10000, 10000, 0)",
        ] {
            let err = c.execute(sql, [id]).unwrap_err().to_string();
            assert!(err.contains("issued invoice"), "{sql}: {err}");
        }
        // Void only through a credit note: not by hand, and never a line moved onto it.
        let err = c
            .execute("UPDATE invoices SET status = 'void' WHERE id = ?1", [id])
            .unwrap_err();
        assert!(err.to_string().contains("issued invoice"), "{err}");
        let moved = c.execute(
            "UPDATE invoice_lines SET invoice_id = ?1 WHERE invoice_id = (SELECT id FROM invoices WHERE status = 'draft' LIMIT 1)",
            [id],
        );
        assert!(moved.unwrap_err().to_string().contains("issued invoice"));
        assert!(store.check().unwrap().ok);
        // A number taken without an issued invoice is a gap that `check` reports.
        c.execute(
            "UPDATE number_sequences SET last_value = last_value + 1 WHERE name = 'invoice'",
            [],
        )
        .unwrap();
        let report = store.check().unwrap();
        assert!(
            !report.ok && report.problems[0].contains("counter is at 2"),
            "{:?}",
            report.problems
        );
    }

    #[test]
    fn payments_derive_the_status_and_never_exceed_the_balance() {
        let (_dir, mut store) = store();
        let id = store.run_billing("2026-12").unwrap().created[0];
        store.issue_invoice(id, day("2026-12-01")).unwrap();
        let err = store
            .record_payment(id, "1546.71", day("2026-12-05"), "bank", "")
            .unwrap_err();
        assert!(
            err.message
                .contains("more than the open balance of 1546.70 EUR"),
            "{}",
            err.message
        );
        assert!(store
            .record_payment(id, "1e3", day("2026-12-05"), "bank", "")
            .is_err());
        assert!(store
            .record_payment(id, "-5", day("2026-12-05"), "bank", "")
            .is_err());
        assert!(store
            .record_payment(id, "10.001", day("2026-12-05"), "bank", "")
            .is_err());
        let part = store
            .record_payment(id, "1,000.00", day("2026-12-05"), "bank", "RF18")
            .unwrap();
        assert_eq!(
            (part.status.as_str(), part.balance.to_string().as_str()),
            ("partially_paid", "546.70")
        );
        assert_eq!(
            store.invoice_row(id, day("2026-12-16")).unwrap().status,
            vardesk_core::standing::InvoiceStatus::Overdue
        );
        let paid = store
            .record_payment(id, "546.70", day("2026-12-20"), "bank", "")
            .unwrap();
        assert_eq!(paid.status, vardesk_core::standing::InvoiceStatus::Paid);
        assert_eq!(
            store
                .list_invoices(Some("paid"), None, day("2026-12-20"))
                .unwrap()
                .len(),
            1
        );
    }
}
