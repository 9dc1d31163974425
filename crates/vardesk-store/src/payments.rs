//! Payments on issued invoices (§6.1): recorded, refunded and reversed, each in one
//! transaction, never more than the balance; and the list of them for exports.

use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};
use rust_decimal::Decimal;
use serde::Serialize;
use vardesk_core::money::parse_typed_decimal;
use vardesk_core::{CoreError, Currency, ErrorCode};

use crate::invoices::InvoiceRow;
use crate::{now, DbResult, Result, Store};

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

impl Store {
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

#[cfg(test)]
mod tests {
    use crate::test_support::{day, sample_store as store};

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
