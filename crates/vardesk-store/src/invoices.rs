//! Invoices: issuing drafts with gapless numbers (DOMAIN.md §6), the list and the detail
//! with the standing each derives (`vardesk_core::standing`), and the figures of issued
//! documents as they were issued. Every step that moves money or numbers is one
//! `BEGIN IMMEDIATE` transaction; triggers keep issued invoices as they were issued.
//! Billing runs are in `billing_run`, payments in `payments`.

use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension, Row, Transaction};
use rust_decimal::Decimal;
use serde::Serialize;
use vardesk_core::lines::{invoice_totals, tax_rows, DocTotals, Line, LineKind, TaxRow};
use vardesk_core::standing::{
    listed_totals, standing, DocumentKind, InvoiceFacts, InvoiceStatus, Totalled,
};
use vardesk_core::treatment::{
    check_issuable, shown_treatment, Parties, TaxCategory, TaxKey, TaxTreatment,
};
use vardesk_core::{CoreError, Currency, ErrorCode};

use crate::numbers::take_next;
use crate::payments::PaymentRow;
use crate::taxes::taxed_lines;
use crate::{from_scaled, now, to_scaled, DbResult, Result, Store};

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
        Ok(vardesk_core::standing::draft_totals(
            rows.iter().map(InvoiceRow::totalled),
        ))
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

pub use vardesk_core::standing::CurrencyTotal;

impl InvoiceRow {
    /// The row as the totals see it (`vardesk_core::standing`).
    pub fn totalled(&self) -> Totalled {
        Totalled {
            kind: self.kind,
            status: self.status,
            numbered: self.number.is_some(),
            currency: self.currency,
            total: self.total,
            balance: self.balance,
        }
    }
}

/// The totals under a list of invoices (`vardesk_core::standing::listed_totals`).
pub fn currency_totals(rows: &[InvoiceRow]) -> Vec<CurrencyTotal> {
    listed_totals(rows.iter().map(InvoiceRow::totalled))
}

/// Where a line of a draft comes from besides what it says: a subscription's period, or a
/// batch of seats added to a licence (§10), billed once each.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct LineOrigin<'a> {
    pub(crate) subscription_id: Option<i64>,
    pub(crate) period: Option<&'a str>,
    pub(crate) seat_batch_id: Option<i64>,
}

/// Adds a line to a draft: the one place a typed, billed or quoted line is written
/// (credit notes copy their invoice's lines as issued, `credits.rs`).
pub(crate) fn insert_invoice_line(
    tx: &Transaction<'_>,
    invoice_id: i64,
    position: usize,
    line: &Line,
    origin: LineOrigin<'_>,
) -> Result<()> {
    let n = crate::scaled_line(line)?;
    tx.execute(
        "INSERT INTO invoice_lines (invoice_id, position, description, quantity_e4, unit,
            unit_price_e4, unit_cost_e4, discount_e2, tax_rate_e2, goods, subscription_id, period,
            seat_batch_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            invoice_id,
            position as i64,
            line.description,
            n.quantity,
            line.unit,
            n.unit_price,
            n.unit_cost,
            n.discount,
            n.tax_rate,
            line.goods,
            origin.subscription_id,
            origin.period,
            origin.seat_batch_id,
        ],
    )
    .db()?;
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
}
