//! Credit notes (DOMAIN.md §6): an issued invoice is corrected, never edited. A credit note
//! gives back chosen lines and quantities (or everything still open) under its own number
//! sequence; crediting everything voids the invoice. One transaction each.

use chrono::NaiveDate;
use rusqlite::{params, Connection};
use rust_decimal::Decimal;
use vardesk_core::invoicing::{validate_credit, CreditLineForm};
use vardesk_core::lines::doc_totals;
use vardesk_core::{CoreError, Currency, ErrorCode};

use crate::invoices::{invoice_lines, CreditNoteRef, InvoiceRow};
use crate::numbers::take_next;
use crate::{from_scaled, now, to_scaled, DbResult, Result, Store};

/// Each line of invoice `id` with the quantity issued credit notes have not yet given back.
pub fn creditable_lines(conn: &Connection, id: i64) -> Result<Vec<(i64, Decimal)>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT l.id, l.quantity_e4 - coalesce((
                SELECT sum(c.quantity_e4) FROM invoice_lines c
                JOIN invoices n ON n.id = c.invoice_id AND n.status = 'issued'
                WHERE c.credited_line_id = l.id), 0)
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

impl Store {
    /// Credits an issued invoice: the chosen lines and quantities, or (`None`) everything not
    /// yet credited. The credit note copies the invoice's snapshots, takes the next number of
    /// the credit-note sequence and is issued on `date`; when nothing is left to credit and
    /// nothing was paid, the invoice becomes void. Returns the credit note.
    pub fn credit_invoice(
        &mut self,
        id: i64,
        chosen: Option<&[CreditLineForm]>,
        date: NaiveDate,
    ) -> Result<InvoiceRow> {
        let settings = self.require_settings()?;
        let row = self.invoice_row(id, date)?;
        let Some(number) = row.number.clone().filter(|_| row.kind == "invoice") else {
            return Err(CoreError::validation(
                "invoice",
                "Only an issued invoice can be credited.",
            ));
        };
        if row.status == "void" {
            return Err(CoreError::new(
                ErrorCode::Conflict,
                format!("{number} is already void: it was credited in full."),
            ));
        }
        let credit_id = self.write(|tx| {
            let remaining = creditable_lines(tx, id)?;
            let selection: Vec<(i64, Decimal)> = match chosen {
                Some(forms) => validate_credit(forms, &remaining)?,
                None => remaining.iter().copied().filter(|(_, q)| !q.is_zero()).collect(),
            };
            if selection.is_empty() {
                return Err(CoreError::new(
                    ErrorCode::Conflict,
                    format!("Every line of {number} has already been credited."),
                ));
            }
            let open: Vec<(i64, Decimal)> =
                remaining.iter().copied().filter(|(_, q)| !q.is_zero()).collect();
            let note = if selection == open && nothing_credited_yet(tx, id, &remaining)? {
                format!("Credits invoice {number} in full.")
            } else {
                format!("Credits part of invoice {number}.")
            };
            let stamp = now();
            tx.execute(
                "INSERT INTO invoices (customer_id, status, currency, notes, created_at, updated_at,
                    kind, credited_invoice_id)
                 SELECT customer_id, 'draft', currency, ?2, ?3, ?3, 'credit_note', id
                 FROM invoices WHERE id = ?1",
                params![id, note, stamp],
            )
            .db()?;
            let credit = tx.last_insert_rowid();
            for (position, (line_id, quantity)) in selection.iter().enumerate() {
                tx.execute(
                    "INSERT INTO invoice_lines (invoice_id, position, description, quantity_e4, unit,
                        unit_price_e4, unit_cost_e4, discount_e2, tax_rate_e2, credited_line_id)
                     SELECT ?1, ?2, description, ?3, unit, unit_price_e4, unit_cost_e4, discount_e2,
                        tax_rate_e2, id FROM invoice_lines WHERE id = ?4 AND invoice_id = ?5",
                    params![credit, position as i64, to_scaled(*quantity, 4)?, line_id, id],
                )
                .db()?;
            }
            let totals = doc_totals(&invoice_lines(tx, credit)?, row.currency)?;
            let room = row.currency.from_minor(open_minor(tx, id)?);
            if totals.total > room {
                return Err(CoreError::validation(
                    "lines",
                    format!(
                        "This credit of {} {} is more than the {} {} still open on {number} \
                         (after payments and earlier credit notes). Credit less.",
                        row.currency.format_plain(totals.total),
                        row.currency,
                        row.currency.format_plain(room),
                        row.currency
                    ),
                ));
            }
            let credit_number =
                take_next(tx, "credit_note", &settings.credit_note_number_template, date)?;
            tx.execute(
                "UPDATE invoices SET status = 'issued', number = ?2, issue_date = ?3, due_date = ?3,
                    customer_snapshot = (SELECT customer_snapshot FROM invoices WHERE id = ?4),
                    company_snapshot = (SELECT company_snapshot FROM invoices WHERE id = ?4),
                    subtotal_minor = ?5, tax_minor = ?6, total_minor = ?7, updated_at = ?8
                 WHERE id = ?1",
                params![
                    credit,
                    credit_number,
                    date.to_string(),
                    id,
                    row.currency.to_minor(totals.subtotal)?,
                    row.currency.to_minor(totals.tax_total)?,
                    row.currency.to_minor(totals.total)?,
                    now()
                ],
            )
            .db()?;
            let nothing_left = creditable_lines(tx, id)?.iter().all(|(_, q)| q.is_zero());
            let paid: i64 = tx
                .query_row(
                    "SELECT count(*) FROM payments WHERE invoice_id = ?1",
                    [id],
                    |r| r.get(0),
                )
                .db()?;
            if nothing_left && paid == 0 {
                tx.execute(
                    "UPDATE invoices SET status = 'void', updated_at = ?2 WHERE id = ?1 AND status = 'issued'",
                    params![id, now()],
                )
                .db()?;
            }
            Ok(credit)
        })?;
        self.invoice_row(credit_id, date)
    }
}

/// Whether every line is still open at its full quantity.
fn nothing_credited_yet(conn: &Connection, id: i64, remaining: &[(i64, Decimal)]) -> Result<bool> {
    let issued = invoice_lines(conn, id)?.into_iter().map(|l| l.quantity);
    Ok(remaining.iter().map(|(_, q)| *q).eq(issued))
}

/// The invoice's total less payments and issued credit notes, in minor units.
fn open_minor(conn: &Connection, id: i64) -> Result<i64> {
    conn.query_row(
        "SELECT total_minor
            - (SELECT coalesce(sum(amount_minor), 0) FROM payments WHERE invoice_id = ?1)
            - (SELECT coalesce(sum(total_minor), 0) FROM invoices
               WHERE credited_invoice_id = ?1 AND status = 'issued')
         FROM invoices WHERE id = ?1",
        [id],
        |r| r.get(0),
    )
    .db()
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
        assert_eq!(credit.kind, "credit_note");
        assert!(credit.number.as_deref().unwrap().starts_with("CN-2026-"));
        assert_eq!(
            credit.credits,
            store.invoice_row(id, day("2026-12-03")).unwrap().number
        );
        assert_eq!(credit.total, total);
        let invoice = store.invoice_row(id, day("2026-12-03")).unwrap();
        assert_eq!((invoice.status, invoice.balance.is_zero()), ("void", true));
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
        assert_eq!(after.row.status, "issued");
        assert_eq!(after.credit_notes.len(), 1);
        let printed = store.invoice(one.id, today).unwrap();
        assert_eq!(
            printed.notes,
            format!(
                "Credits part of invoice {}.",
                after.row.number.clone().unwrap()
            )
        );
        assert_eq!(printed.lines.len(), 1);

        // The rest in one go: nothing left, nothing paid → void, balance 0.
        let rest = store.credit_invoice(id, None, today).unwrap();
        let end = store.invoice(id, today).unwrap();
        assert!(end.creditable.iter().all(|q| q.is_zero()));
        assert_eq!(end.row.status, "void");
        assert!(one.total + rest.total <= end.row.total);
        let report = store.check().unwrap();
        assert!(report.ok, "{:?}", report.problems);
    }

    #[test]
    fn a_credit_cannot_exceed_what_is_still_open_after_payments() {
        let (_dir, mut store) = sample_store();
        let id = issued_invoice(&mut store);
        let today = day("2026-12-05");
        let row = store.invoice_row(id, today).unwrap();
        let paid = row.total - Decimal::ONE;
        store
            .record_payment(id, &paid.to_string(), today, "bank", "")
            .unwrap();
        let err = store.credit_invoice(id, None, today).unwrap_err();
        assert!(err.message.contains("still open"), "{}", err.message);
        assert!(store.invoice(id, today).unwrap().credit_notes.is_empty());
        // The database refuses it too, whatever the app does.
        let raw = store.conn().execute(
            "UPDATE invoices SET status = 'issued' WHERE kind = 'credit_note' AND status = 'draft'",
            [],
        );
        assert_eq!(raw.unwrap(), 0);
        let over = store.conn().execute(
            "INSERT INTO payments (invoice_id, amount_minor, paid_on, created_at)
             VALUES (?1, 101, '2026-12-05', 'x')",
            [id],
        );
        assert!(
            over.is_err(),
            "a payment above the balance is refused by a trigger"
        );
    }
}
