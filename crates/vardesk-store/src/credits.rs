//! Credit notes (DOMAIN.md §6): an issued invoice is corrected, never edited. A credit note
//! gives back chosen lines and quantities (or everything still open) under its own number
//! sequence; crediting everything voids the invoice. One transaction each.

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};
use rust_decimal::Decimal;
use vardesk_core::credit::{key_label, CreditRequest, CreditedInvoice, CreditedSoFar};
use vardesk_core::invoicing::{validate_credit, CreditLineForm};
use vardesk_core::money::parse_typed_decimal;
use vardesk_core::treatment::{TaxCategory, TaxKey};
use vardesk_core::{CoreError, Currency, ErrorCode};

use crate::invoices::{document_totals, invoice_lines, store_tax_rows, CreditNoteRef, InvoiceRow};
use crate::numbers::take_next;
use crate::{from_scaled, now, to_scaled, DbResult, Result, Store};

/// Each line of invoice `id` with the quantity issued credit notes have not yet given back
/// (none on a deposit deduction: it is credited as an amount at its rate).
pub fn creditable_lines(conn: &Connection, id: i64) -> Result<Vec<(i64, Decimal)>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT l.id, CASE WHEN l.deducts_invoice_id IS NOT NULL THEN 0 ELSE l.quantity_e4 - coalesce((
                SELECT sum(c.quantity_e4) FROM invoice_lines c
                JOIN invoices n ON n.id = c.invoice_id AND n.status = 'issued'
                WHERE c.credited_line_id = l.id), 0) END
             FROM invoice_lines l WHERE l.invoice_id = ?1 ORDER BY l.position",
        )
        .db()?;
    let lines = stmt
        .query_map([id], |r| Ok((r.get(0)?, from_scaled(r.get(1)?, 4))))
        .db()?
        .collect::<rusqlite::Result<_>>()
        .db()?;
    Ok(lines)
}

/// The issued credit notes that correct invoice `id`, oldest first.
pub fn credit_notes_of(
    conn: &Connection,
    id: i64,
    currency: Currency,
) -> Result<Vec<CreditNoteRef>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT id, number, issue_date, total_minor FROM invoices
             WHERE credited_invoice_id = ?1 AND status = 'issued' ORDER BY id",
        )
        .db()?;
    let notes = stmt
        .query_map([id], |r| {
            Ok(CreditNoteRef {
                id: r.get(0)?,
                number: r.get(1)?,
                issue_date: r.get(2)?,
                total: currency.from_minor(r.get(3)?),
            })
        })
        .db()?
        .collect::<rusqlite::Result<_>>()
        .db()?;
    Ok(notes)
}

/// What a credit note gives back: chosen line quantities and/or fixed amounts per rate, or
/// (`everything`) all that is still open; and why, printed on the note.
#[derive(Debug, Clone, Default)]
pub struct CreditOrder<'a> {
    pub everything: bool,
    pub lines: &'a [CreditLineForm],
    pub amounts: &'a [FixedCreditForm],
    pub reason: &'a str,
}

/// A fixed net amount credited at one of the invoice's (category, rate) pairs, as typed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, specta::Type)]
pub struct FixedCreditForm {
    pub category: String,
    pub rate: String,
    pub net: String,
}

/// The invoice's lines (with ids) and tax rows, and what its issued notes credited so far.
struct CreditBasis {
    line_ids: Vec<i64>,
    lines: Vec<vardesk_core::lines::Line>,
    taxes: Vec<vardesk_core::lines::TaxRow>,
    so_far: CreditedSoFar,
}

fn credit_basis(conn: &Connection, id: i64, currency: Currency) -> Result<CreditBasis> {
    let lines = invoice_lines(conn, id)?;
    let line_ids = line_ids_of(conn, id)?;
    let taxes = document_totals(conn, id, currency)?.taxes;
    let mut so_far = CreditedSoFar {
        quantity: vec![Decimal::ZERO; lines.len()],
        amount: vec![Decimal::ZERO; lines.len()],
        ..Default::default()
    };
    for note in credit_notes_of(conn, id, currency)? {
        let note_lines = invoice_lines(conn, note.id)?;
        let note_totals = document_totals(conn, note.id, currency)?;
        let mut stmt = conn
            .prepare_cached(
                "SELECT credited_line_id, fixed_amount FROM invoice_lines
                 WHERE invoice_id = ?1 ORDER BY position",
            )
            .db()?;
        let refs: Vec<(Option<i64>, bool)> = stmt
            .query_map([note.id], |r| Ok((r.get(0)?, r.get(1)?)))
            .db()?
            .collect::<rusqlite::Result<_>>()
            .db()?;
        for ((line, amount), (credited, fixed)) in
            note_lines.iter().zip(&note_totals.line_amounts).zip(refs)
        {
            let rate = TaxKey::of(line);
            match credited.and_then(|c| line_ids.iter().position(|l| *l == c)) {
                Some(i) if !fixed => {
                    so_far.quantity[i] += line.quantity;
                    so_far.amount[i] += *amount;
                }
                _ => *so_far.fixed.entry(rate).or_default() += *amount,
            }
        }
        for t in note_totals.taxes {
            *so_far.tax.entry(t.key()).or_default() += t.tax;
        }
    }
    Ok(CreditBasis {
        line_ids,
        lines,
        taxes,
        so_far,
    })
}

fn line_ids_of(conn: &Connection, id: i64) -> Result<Vec<i64>> {
    let mut stmt = conn
        .prepare_cached("SELECT id FROM invoice_lines WHERE invoice_id = ?1 ORDER BY position")
        .db()?;
    let ids = stmt
        .query_map([id], |r| r.get(0))
        .db()?
        .collect::<rusqlite::Result<_>>()
        .db()?;
    Ok(ids)
}

/// Reads the typed order into the engine's request, naming what is wrong.
fn credit_request(
    order: &CreditOrder<'_>,
    basis: &CreditBasis,
    invoice: &CreditedInvoice<'_>,
) -> Result<CreditRequest> {
    if order.everything {
        return Ok(invoice.everything_open(&basis.so_far));
    }
    let mut request = CreditRequest::default();
    // Lines left blank in the window mean "not this line"; only amounts may be chosen.
    let any_line = order.lines.iter().any(|l| !l.quantity.trim().is_empty());
    if any_line || order.amounts.is_empty() {
        let remaining: Vec<(i64, Decimal)> = basis
            .line_ids
            .iter()
            .zip(&basis.lines)
            .zip(&basis.so_far.quantity)
            .map(|((id, l), credited)| (*id, l.quantity - credited))
            .collect();
        for (line_id, quantity) in validate_credit(order.lines, &remaining)? {
            let index = basis
                .line_ids
                .iter()
                .position(|l| *l == line_id)
                .unwrap_or(0);
            request.lines.push((index, quantity));
        }
    }
    for form in order.amounts {
        let rate = parse_typed_decimal("amount", &form.rate)
            .map_err(|_| {
                CoreError::validation(
                    "amount",
                    format!("\"{}\" is not a tax rate.", form.rate.trim()),
                )
            })?
            .normalize();
        let typed = form.category.trim();
        let category = match typed {
            "" => Some(TaxCategory::domestic(rate)),
            _ => TaxCategory::parse(typed),
        };
        let key = category
            .map(|category| TaxKey { rate, category })
            .filter(|key| basis.taxes.iter().any(|t| t.key() == *key))
            .ok_or_else(|| {
                let rows: Vec<String> = basis
                    .taxes
                    .iter()
                    .map(|t| format!("{}:{}", t.category.code(), t.rate_percent.normalize()))
                    .collect();
                CoreError::validation(
                    "amount",
                    format!(
                        "The invoice has no tax row {}:{rate}; its rows are {}.",
                        typed.to_ascii_uppercase(),
                        rows.join(", ")
                    ),
                )
            })?;
        let net = parse_typed_decimal("amount", &form.net)?;
        request.fixed.push((key, net));
    }
    Ok(request)
}

impl Store {
    /// Credits an issued invoice: the chosen lines and quantities, or (`None`) everything not
    /// yet credited. See [`Store::credit`].
    pub fn credit_invoice(
        &mut self,
        id: i64,
        chosen: Option<&[CreditLineForm]>,
        date: NaiveDate,
    ) -> Result<InvoiceRow> {
        let order = CreditOrder {
            everything: chosen.is_none(),
            lines: chosen.unwrap_or_default(),
            ..Default::default()
        };
        self.credit(id, &order, date)
    }

    /// Issues a credit note on `date` for an issued invoice (DOMAIN.md §6.1): its figures are
    /// cumulative, so the notes of an invoice always add up to it exactly. A paid invoice can
    /// be credited too (the balance goes negative: a refund is due). The note copies the
    /// invoice's snapshots and takes the next credit-note number; when credits reach the
    /// total and nothing stays paid, the invoice becomes void. Returns the credit note.
    pub fn credit(
        &mut self,
        id: i64,
        order: &CreditOrder<'_>,
        date: NaiveDate,
    ) -> Result<InvoiceRow> {
        self.credit_with(id, order, date, |_| Ok(()))
    }

    /// [`Store::credit`] with `also` written in the same transaction (seats removed from a
    /// licence and their credit note stand or fall together).
    pub(crate) fn credit_with(
        &mut self,
        id: i64,
        order: &CreditOrder<'_>,
        date: NaiveDate,
        also: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<()>,
    ) -> Result<InvoiceRow> {
        let settings = self.require_settings()?;
        let row = self.invoice_row(id, date)?;
        if row.kind == vardesk_core::standing::DocumentKind::Imported {
            return Err(CoreError::validation(
                "invoice",
                format!(
                    "{} was imported from the previous system, without its lines: record what \
                     the customer paid or settled there as a payment instead of a credit note.",
                    row.number.clone().unwrap_or_default()
                ),
            ));
        }
        let Some(number) = row
            .number
            .clone()
            .filter(|_| row.kind == vardesk_core::standing::DocumentKind::Invoice)
        else {
            return Err(CoreError::validation(
                "invoice",
                "Only an issued invoice can be credited.",
            ));
        };
        if row.status == vardesk_core::standing::InvoiceStatus::Void {
            return Err(CoreError::new(
                ErrorCode::Conflict,
                format!("{number} is already void: it was credited in full."),
            ));
        }
        // A deposit that a final invoice deducts (§6.1) is settled there: crediting it would
        // leave the deduction standing, and the customer would never be billed for it. Once
        // the final invoice is void (credited in full), the deposit can be credited too.
        let deducted_on: Option<String> = self
            .conn()
            .query_row(
                "SELECT coalesce(f.number, 'the final invoice (not issued yet)') FROM invoice_lines l
                 JOIN invoices f ON f.id = l.invoice_id
                 WHERE l.deducts_invoice_id = ?1 AND f.status <> 'void' LIMIT 1",
                [id],
                |r| r.get(0),
            )
            .optional()
            .db()?;
        if let Some(final_invoice) = deducted_on {
            return Err(CoreError::new(
                ErrorCode::Conflict,
                format!(
                    "{number} is a deposit that {final_invoice} deducts: correct the project on \
                     the final invoice (a credit note there, or delete its draft) instead."
                ),
            ));
        }
        let reason = order.reason.trim();
        if reason.chars().count() > 500 {
            return Err(CoreError::validation(
                "reason",
                "The reason can have at most 500 characters.",
            ));
        }
        let currency = row.currency;
        let credit_id = self.write(|tx| {
            let basis = credit_basis(tx, id, currency)?;
            let invoice = CreditedInvoice {
                lines: &basis.lines,
                taxes: &basis.taxes,
                currency,
            };
            let request = credit_request(order, &basis, &invoice)?;
            if order.everything && request == CreditRequest::default() {
                return Err(CoreError::new(
                    ErrorCode::Conflict,
                    format!("Everything on {number} has already been credited."),
                ));
            }
            let figures = invoice.credit(&basis.so_far, &request)?;
            // The note names the invoice it credits in its own header (in the customer's
            // language); no English sentence is stored in its notes.
            let note = "";
            let stamp = now();
            tx.execute(
                "INSERT INTO invoices (customer_id, status, currency, notes, created_at, updated_at,
                    kind, credited_invoice_id, reason, tax_treatment, exemption_reason)
                 SELECT customer_id, 'draft', currency, ?2, ?3, ?3, 'credit_note', id, ?4,
                    tax_treatment, exemption_reason
                 FROM invoices WHERE id = ?1",
                params![id, note, stamp, reason],
            )
            .db()?;
            let credit = tx.last_insert_rowid();
            let mut position = 0i64;
            for line in &figures.lines {
                tx.execute(
                    "INSERT INTO invoice_lines (invoice_id, position, description, quantity_e4, unit,
                        unit_price_e4, unit_cost_e4, discount_e2, tax_rate_e2, credited_line_id,
                        net_minor, goods, tax_category)
                     SELECT ?1, ?2, description, ?3, unit, unit_price_e4, unit_cost_e4, discount_e2,
                        tax_rate_e2, id, ?6, goods, tax_category
                     FROM invoice_lines WHERE id = ?4 AND invoice_id = ?5",
                    params![
                        credit,
                        position,
                        to_scaled(line.quantity, 4)?,
                        basis.line_ids[line.index],
                        id,
                        currency.to_minor(line.amount)?
                    ],
                )
                .db()?;
                position += 1;
            }
            for (key, net) in &figures.fixed {
                let description = if reason.is_empty() {
                    format!("Credit at {}", key_label(*key))
                } else {
                    reason.to_string()
                };
                tx.execute(
                    "INSERT INTO invoice_lines (invoice_id, position, description, quantity_e4, unit,
                        unit_price_e4, unit_cost_e4, discount_e2, tax_rate_e2, net_minor, fixed_amount,
                        tax_category)
                     VALUES (?1, ?2, ?3, 10000, '', ?4, 0, 0, ?5, ?6, 1, ?7)",
                    params![
                        credit,
                        position,
                        description,
                        to_scaled(*net, 4)?,
                        to_scaled(key.rate, 2)?,
                        currency.to_minor(*net)?,
                        key.category.code()
                    ],
                )
                .db()?;
                position += 1;
            }
            store_tax_rows(tx, credit, currency, &figures.taxes)?;
            let taken = take_next(tx, "credit_note", &settings.credit_note_number_template, date)?;
            tx.execute(
                "UPDATE invoices SET status = 'issued', number = ?2, issue_date = ?3, due_date = ?3,
                    customer_snapshot = (SELECT customer_snapshot FROM invoices WHERE id = ?4),
                    company_snapshot = coalesce((SELECT company_snapshot FROM invoices WHERE id = ?4), ?10),
                    subtotal_minor = ?5, tax_minor = ?6, total_minor = ?7, updated_at = ?8,
                    seq_year = ?9, seq_value = ?11, logo_id = ?12
                 WHERE id = ?1",
                params![
                    credit,
                    taken.number,
                    date.to_string(),
                    id,
                    currency.to_minor(figures.subtotal)?,
                    currency.to_minor(figures.tax_total)?,
                    currency.to_minor(figures.total)?,
                    now(),
                    taken.year,
                    crate::settings::company_snapshot(&settings).to_string(),
                    taken.value,
                    crate::invoices::freeze_logo(tx)?
                ],
            )
            .db()?;
            void_when_settled(tx, id)?;
            also(tx)?;
            Ok(credit)
        })?;
        self.invoice_row(credit_id, date)
    }
}

/// §6.1: an invoice is void once its credit notes equal its total and nothing stays paid.
pub(crate) fn void_when_settled(conn: &Connection, id: i64) -> Result<()> {
    conn.execute(
        "UPDATE invoices SET status = 'void', updated_at = ?2
         WHERE id = ?1 AND status = 'issued' AND kind = 'invoice'
            AND total_minor = (SELECT coalesce(sum(total_minor), 0) FROM invoices
                WHERE credited_invoice_id = ?1 AND status = 'issued')
            AND (SELECT coalesce(sum(amount_minor), 0) FROM payments WHERE invoice_id = ?1) = 0",
        params![id, now()],
    )
    .db()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{day, sample_store};

    fn issued_invoice(store: &mut Store) -> i64 {
        let id = store.run_billing("2026-12").unwrap().created[0];
        store.issue_invoice(id, day("2026-12-01")).unwrap();
        id
    }

    fn take(line_id: i64, quantity: &str) -> CreditLineForm {
        CreditLineForm {
            line_id,
            quantity: quantity.into(),
        }
    }

    #[test]
    fn a_full_credit_note_voids_the_invoice_once() {
        let (_dir, mut store) = sample_store();
        let id = issued_invoice(&mut store);
        let total = store.invoice_row(id, day("2026-12-03")).unwrap().total;
        let credit = store.credit_invoice(id, None, day("2026-12-03")).unwrap();
        assert_eq!(
            credit.kind,
            vardesk_core::standing::DocumentKind::CreditNote
        );
        assert!(credit.number.as_deref().unwrap().starts_with("CN-2026-"));
        assert_eq!(
            credit.credits,
            store.invoice_row(id, day("2026-12-03")).unwrap().number
        );
        assert_eq!(credit.total, total);
        let invoice = store.invoice_row(id, day("2026-12-03")).unwrap();
        assert_eq!(
            (invoice.status.as_str(), invoice.balance.is_zero()),
            ("void", true)
        );
        assert!(store.credit_invoice(id, None, day("2026-12-04")).is_err());
        assert!(store
            .record_payment(id, "10", day("2026-12-04"), "", "")
            .is_err());
        let report = store.check().unwrap();
        assert!(report.ok, "{:?}", report.problems);
    }

    #[test]
    fn partial_credits_give_back_chosen_quantities_until_nothing_is_left() {
        let (_dir, mut store) = sample_store();
        let id = issued_invoice(&mut store);
        let today = day("2026-12-05");
        let detail = store.invoice(id, today).unwrap();
        let (first, quantity) = (detail.line_ids[0], detail.creditable[0]);
        assert_eq!(quantity, detail.lines[0].quantity);

        // Too much, nothing, and a line of another invoice are refused and change nothing.
        let too_much = format!("{}", quantity + Decimal::ONE);
        assert!(store
            .credit_invoice(id, Some(&[take(first, &too_much)]), today)
            .is_err());
        assert!(store
            .credit_invoice(id, Some(&[take(first, "0")]), today)
            .is_err());
        assert!(store
            .credit_invoice(id, Some(&[take(-5, "1")]), today)
            .is_err());
        assert!(store.invoice(id, today).unwrap().credit_notes.is_empty());

        let one = store
            .credit_invoice(id, Some(&[take(first, "1")]), today)
            .unwrap();
        let after = store.invoice(id, today).unwrap();
        assert_eq!(after.creditable[0], quantity - Decimal::ONE);
        assert_eq!(after.row.credited, one.total);
        assert_eq!(after.row.balance, after.row.total - one.total);
        assert_eq!(
            after.row.status,
            vardesk_core::standing::InvoiceStatus::Issued
        );
        assert_eq!(after.credit_notes.len(), 1);
        let printed = store.invoice(one.id, today).unwrap();
        assert_eq!(printed.notes, "");
        assert_eq!(printed.row.credits, after.row.number);
        assert_eq!(printed.lines.len(), 1);

        // The rest in one go: nothing left, nothing paid → void, balance 0.
        let rest = store.credit_invoice(id, None, today).unwrap();
        let end = store.invoice(id, today).unwrap();
        assert!(end.creditable.iter().all(|q| q.is_zero()));
        assert_eq!(end.row.status, vardesk_core::standing::InvoiceStatus::Void);
        assert!(one.total + rest.total <= end.row.total);
        let report = store.check().unwrap();
        assert!(report.ok, "{:?}", report.problems);
    }

    #[test]
    fn a_paid_invoice_is_credited_refunded_and_then_void() {
        let (_dir, mut store) = sample_store();
        let id = issued_invoice(&mut store);
        let today = day("2026-12-05");
        let total = store.invoice_row(id, today).unwrap().total;
        store
            .record_payment(id, &total.to_string(), today, "bank", "")
            .unwrap();
        // A refund before anything is owed back is refused.
        assert!(store.record_payment(id, "-1", today, "bank", "").is_err());
        store.credit_invoice(id, None, today).unwrap();
        let owed = store.invoice_row(id, today).unwrap();
        assert_eq!((owed.status.as_str(), owed.balance), ("refund_due", -total));
        // More than is owed back is refused, by the store and by the database.
        let too_much = (-total - Decimal::ONE).to_string();
        assert!(store
            .record_payment(id, &too_much, today, "bank", "")
            .is_err());
        let raw = store.conn().execute(
            "INSERT INTO payments (invoice_id, amount_minor, paid_on, created_at)
             VALUES (?1, -999999999, '2026-12-05', 'x')",
            [id],
        );
        assert!(
            raw.is_err(),
            "a refund above what is owed is refused by a trigger"
        );
        let refund = (-total).to_string();
        let done = store
            .record_payment(id, &refund, today, "bank", "R-1")
            .unwrap();
        assert_eq!(
            (done.status.as_str(), done.balance.is_zero()),
            ("void", true)
        );
        assert!(store.record_payment(id, "1", today, "bank", "").is_err());
        let report = store.check().unwrap();
        assert!(report.ok, "{:?}", report.problems);
    }

    #[test]
    fn a_wrong_payment_is_reversed_never_changed() {
        let (_dir, mut store) = sample_store();
        let id = issued_invoice(&mut store);
        let today = day("2026-12-05");
        store.record_payment(id, "10", today, "bank", "").unwrap();
        let paid = store.invoice(id, today).unwrap();
        let payment = paid.payments[0].id;
        for sql in [
            "UPDATE payments SET amount_minor = 5000 WHERE id = ?1",
            "DELETE FROM payments WHERE id = ?1",
        ] {
            assert!(store.conn().execute(sql, [payment]).is_err(), "{sql}");
        }
        let back = store.reverse_payment(id, payment, today).unwrap();
        assert_eq!(back.balance, back.total);
        assert_eq!(back.status, vardesk_core::standing::InvoiceStatus::Issued);
        assert!(store.reverse_payment(id, payment, today).is_err());
        let reversal = store.invoice(id, today).unwrap().payments[1].id;
        assert!(store.reverse_payment(id, reversal, today).is_err());
        let report = store.check().unwrap();
        assert!(report.ok, "{:?}", report.problems);
    }

    #[test]
    fn the_database_refuses_credits_to_nothing_or_void_invoices() {
        let (_dir, mut store) = sample_store();
        let id = issued_invoice(&mut store);
        let today = day("2026-12-05");
        store.credit_invoice(id, None, today).unwrap();
        assert_eq!(
            store.invoice_row(id, today).unwrap().status,
            vardesk_core::standing::InvoiceStatus::Void
        );
        for credited in ["NULL", &id.to_string()] {
            store
                .conn()
                .execute(
                    &format!(
                        "INSERT INTO invoices (customer_id, status, currency, created_at,
                            updated_at, kind, credited_invoice_id)
                         SELECT customer_id, 'draft', currency, 'x', 'x', 'credit_note', {credited}
                         FROM invoices WHERE id = {id}"
                    ),
                    [],
                )
                .unwrap();
            let draft = store.conn().last_insert_rowid();
            let issued = store.conn().execute(
                "UPDATE invoices SET status = 'issued', number = 'X-' || id, issue_date = '2026-12-05',
                    due_date = '2026-12-05', customer_snapshot = '{}', company_snapshot = '{}',
                    subtotal_minor = 1, tax_minor = 0, total_minor = 1 WHERE id = ?1",
                [draft],
            );
            assert!(issued.is_err(), "credited_invoice_id {credited}");
        }
        // Draft → issued needs a number and totals.
        let draft = store.run_billing("2027-01").unwrap().created[0];
        let bare = store.conn().execute(
            "UPDATE invoices SET status = 'issued' WHERE id = ?1",
            [draft],
        );
        assert!(bare.is_err());
    }
}
