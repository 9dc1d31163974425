//! Draft invoices typed by hand (DOMAIN.md §6: a draft is editable and deletable): from
//! scratch with catalog or manual lines, or a billing run's draft corrected before issue.
//! A billed line that stays keeps its subscription and period; a billed line removed frees
//! that period for the next billing run.

use std::collections::HashMap;

use rusqlite::{params, OptionalExtension, Transaction};
use vardesk_core::invoicing::{Draft, DraftForm};
use vardesk_core::{CoreError, ErrorCode};

use crate::invoices::not_found;
use crate::invoices::{insert_invoice_line, LineOrigin};
use crate::{now, DbResult, Result, Store};

impl Store {
    /// Creates a draft invoice for the form's customer, in the customer's currency.
    pub fn create_draft(&mut self, form: &DraftForm) -> Result<i64> {
        let draft = form.validate()?;
        let customer = self.customer(draft.customer_id)?;
        if customer.archived {
            return Err(CoreError::validation(
                "customer_id",
                format!(
                    "{} is archived; restore the customer to invoice it.",
                    customer.data.name
                ),
            ));
        }
        self.write(|tx| {
            let stamp = now();
            tx.execute(
                "INSERT INTO invoices (customer_id, status, currency, notes, created_at, updated_at)
                 VALUES (?1, 'draft', ?2, ?3, ?4, ?4)",
                params![draft.customer_id, customer.data.currency.code(), draft.notes, stamp],
            )
            .db()?;
            let id = tx.last_insert_rowid();
            replace_lines(tx, id, &draft)?;
            Ok(id)
        })
    }

    /// Saves a draft's notes and lines. The customer of a draft does not change: the lines
    /// were priced in its currency.
    pub fn save_draft(&mut self, id: i64, form: &DraftForm) -> Result<()> {
        let draft = form.validate()?;
        self.write(|tx| {
            let customer = editable_draft(tx, id)?;
            let deducts: bool = tx
                .query_row(
                    "SELECT EXISTS (SELECT 1 FROM invoice_lines
                        WHERE invoice_id = ?1 AND deducts_invoice_id IS NOT NULL)",
                    [id],
                    |r| r.get(0),
                )
                .db()?;
            if deducts {
                return Err(CoreError::new(
                    ErrorCode::Conflict,
                    "This final invoice lists the quote's lines and deducts its deposit as agreed, so it is not edited. Issue it as it is, or delete it and invoice the rest by hand.",
                ));
            }
            if customer != draft.customer_id {
                return Err(CoreError::validation(
                    "customer_id",
                    "A draft stays with its customer; delete it and start a new one for another customer.",
                ));
            }
            tx.execute(
                "UPDATE invoices SET notes = ?2, updated_at = ?3 WHERE id = ?1",
                params![id, draft.notes, now()],
            )
            .db()?;
            replace_lines(tx, id, &draft)
        })
    }

    /// Deletes a draft and its lines; the periods its billed lines covered can be billed again.
    pub fn delete_draft(&mut self, id: i64) -> Result<()> {
        self.write(|tx| {
            editable_draft(tx, id)?;
            tx.execute(
                "DELETE FROM invoices WHERE id = ?1 AND status = 'draft'",
                [id],
            )
            .db()?;
            Ok(())
        })
    }
}

/// The customer of draft invoice `id`; anything but a draft invoice is refused.
fn editable_draft(tx: &Transaction<'_>, id: i64) -> Result<i64> {
    let (status, kind, customer): (String, String, i64) = tx
        .query_row(
            "SELECT status, kind, customer_id FROM invoices WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()
        .db()?
        .ok_or_else(|| not_found(id))?;
    if status != "draft" || kind != "invoice" {
        return Err(CoreError::new(
            ErrorCode::Conflict,
            "This invoice has been issued: it can no longer be changed. Correct it with a credit note.",
        ));
    }
    Ok(customer)
}

/// Writes the draft's lines in order; lines that carry the id of one of its billed lines
/// keep that line's subscription and period.
fn replace_lines(tx: &Transaction<'_>, id: i64, draft: &Draft) -> Result<()> {
    let billed: HashMap<i64, (Option<i64>, Option<String>)> = {
        let mut stmt = tx
            .prepare("SELECT id, subscription_id, period FROM invoice_lines WHERE invoice_id = ?1")
            .db()?;
        let rows = stmt
            .query_map([id], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))
            .db()?
            .collect::<rusqlite::Result<_>>()
            .db()?;
        rows
    };
    tx.execute("DELETE FROM invoice_lines WHERE invoice_id = ?1", [id])
        .db()?;
    for (position, l) in draft.lines.iter().enumerate() {
        let (subscription, period) =
            l.id.and_then(|line_id| billed.get(&line_id).cloned())
                .unwrap_or_default();
        let origin = LineOrigin {
            subscription_id: subscription,
            period: period.as_deref(),
            seat_batch_id: None,
        };
        insert_invoice_line(tx, id, position, &l.line, origin)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{day, sample_store};
    use vardesk_core::invoicing::DraftLineForm;

    fn line(description: &str, quantity: &str, price: &str) -> DraftLineForm {
        DraftLineForm {
            description: description.into(),
            quantity: quantity.into(),
            unit_price: price.into(),
            tax_rate_percent: "19".into(),
            ..DraftLineForm::default()
        }
    }

    #[test]
    fn a_draft_from_scratch_is_edited_issued_and_then_frozen() {
        let (_dir, mut store) = sample_store();
        let customer = store.list_subscriptions(day("2026-11-23")).unwrap()[0].customer_id;
        let form = DraftForm {
            customer_id: Some(customer),
            notes: "Extra work".into(),
            lines: vec![line("Onsite day", "1", "800")],
        };
        let id = store.create_draft(&form).unwrap();
        let mut detail = store.invoice(id, day("2026-11-23")).unwrap();
        assert_eq!(
            detail.row.status,
            vardesk_core::standing::InvoiceStatus::Draft
        );
        assert_eq!(detail.row.total.to_string(), "952.00");

        let mut edited = form.clone();
        edited.lines.push(line("Travel", "2", "45.50"));
        store.save_draft(id, &edited).unwrap();
        detail = store.invoice(id, day("2026-11-23")).unwrap();
        assert_eq!(detail.lines.len(), 2);
        assert_eq!(detail.row.total.to_string(), "1060.29"); // (800 + 91) × 1.19

        let bad = DraftForm {
            lines: vec![line("", "-1", "x")],
            ..edited.clone()
        };
        assert!(store.save_draft(id, &bad).is_err());
        assert_eq!(store.invoice(id, day("2026-11-23")).unwrap().lines.len(), 2);

        store.issue_invoice(id, day("2026-11-23")).unwrap();
        assert_eq!(
            store.save_draft(id, &edited).unwrap_err().code,
            ErrorCode::Conflict
        );
        assert_eq!(
            store.delete_draft(id).unwrap_err().code,
            ErrorCode::Conflict
        );
    }

    #[test]
    fn billed_lines_keep_their_period_and_a_deleted_draft_frees_it() {
        let (_dir, mut store) = sample_store();
        let id = store.run_billing("2026-12").unwrap().created[0];
        let detail = store.invoice(id, day("2026-11-23")).unwrap();
        // Keep the lines, correct the first description: still billed, so no re-billing.
        let mut form = DraftForm {
            customer_id: Some(detail.row.customer_id),
            notes: String::new(),
            lines: detail
                .lines
                .iter()
                .zip(&detail.line_ids)
                .map(|(l, id)| DraftLineForm {
                    id: Some(*id),
                    description: l.description.clone(),
                    quantity: l.quantity.to_string(),
                    unit: l.unit.clone(),
                    unit_price: l.unit_price.to_string(),
                    discount_percent: "0".into(),
                    tax_rate_percent: l.tax_rate_percent.unwrap_or_default().to_string(),
                    goods: l.goods,
                })
                .collect(),
        };
        form.lines[0].description.push_str(" (corrected)");
        store.save_draft(id, &form).unwrap();
        assert!(store
            .preview_billing_run("2026-12")
            .unwrap()
            .invoices
            .is_empty());
        // Drop the first line: its period is free again.
        form.lines.remove(0);
        store.save_draft(id, &form).unwrap();
        assert_eq!(
            store.preview_billing_run("2026-12").unwrap().invoices.len(),
            1
        );
        store.delete_draft(id).unwrap();
        assert!(store.invoice(id, day("2026-11-23")).is_err());
        let again = store.preview_billing_run("2026-12").unwrap();
        assert_eq!(again.invoices[0].lines.len(), detail.lines.len());
    }
}
