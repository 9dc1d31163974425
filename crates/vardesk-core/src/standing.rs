//! Where an invoice stands (DOMAIN.md §6.1): what is still owed on it and its status, from
//! its total, payments, credit notes and due date. The store and the CLI read the figures;
//! this is the one place that decides.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::Currency;

/// An invoice's status as lists, documents and the CLI show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceStatus {
    Draft,
    Issued,
    PartiallyPaid,
    Paid,
    Overdue,
    RefundDue,
    Void,
}

impl InvoiceStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            InvoiceStatus::Draft => "draft",
            InvoiceStatus::Issued => "issued",
            InvoiceStatus::PartiallyPaid => "partially_paid",
            InvoiceStatus::Paid => "paid",
            InvoiceStatus::Overdue => "overdue",
            InvoiceStatus::RefundDue => "refund_due",
            InvoiceStatus::Void => "void",
        }
    }
}

impl std::fmt::Display for InvoiceStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Display for DocumentKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a document is: an invoice, a credit note, or an open invoice imported from the
/// previous system (§11), counted and paid like an invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    Invoice,
    CreditNote,
    Imported,
}

impl DocumentKind {
    /// The stored kind (`invoices.kind`).
    pub fn from_stored(kind: &str) -> DocumentKind {
        match kind {
            "credit_note" => DocumentKind::CreditNote,
            "imported" => DocumentKind::Imported,
            _ => DocumentKind::Invoice,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::Invoice => "invoice",
            DocumentKind::CreditNote => "credit_note",
            DocumentKind::Imported => "imported",
        }
    }
}

/// What an invoice's standing is derived from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InvoiceFacts {
    pub draft: bool,
    pub kind: DocumentKind,
    pub total: Decimal,
    /// Payments, refunds and reversals with their sign.
    pub paid: Decimal,
    /// What issued credit notes gave back.
    pub credited: Decimal,
    /// Some payment above 0 that no reversal cancelled.
    pub some_payment: bool,
    pub due: Option<NaiveDate>,
    pub today: NaiveDate,
}

/// What is still owed, and the status.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Standing {
    /// total − paid − credited; 0 for a credit note, which settles nothing itself.
    pub balance: Decimal,
    pub status: InvoiceStatus,
}

/// Overdue: today is after the due date (the day it is due is not late yet).
pub fn is_overdue(due: Option<NaiveDate>, today: NaiveDate) -> bool {
    due.is_some_and(|d| d < today)
}

/// The first status that holds: draft, void, refund_due, paid, overdue, partially_paid,
/// issued. A credit note is `issued` once issued.
pub fn standing(f: InvoiceFacts) -> Standing {
    use InvoiceStatus::*;
    let credit_note = f.kind == DocumentKind::CreditNote;
    let balance = if credit_note {
        Decimal::ZERO
    } else {
        f.total - f.paid - f.credited
    };
    let zero = Decimal::ZERO;
    let status = match () {
        _ if f.draft => Draft,
        _ if credit_note => Issued,
        _ if f.credited == f.total && balance == zero && !f.total.is_zero() => Void,
        _ if balance < zero => RefundDue,
        _ if balance == zero => Paid,
        _ if is_overdue(f.due, f.today) => Overdue,
        _ if f.some_payment => PartiallyPaid,
        _ => Issued,
    };
    Standing { balance, status }
}

/// What a list of documents adds up to in one currency, and what is still open on it.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct CurrencyTotal {
    pub currency: Currency,
    pub count: usize,
    pub total: Decimal,
    pub balance: Decimal,
}

/// One document as the totals see it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Totalled {
    pub kind: DocumentKind,
    pub status: InvoiceStatus,
    /// It has a number: issued (or imported from the previous system).
    pub numbered: bool,
    pub currency: Currency,
    pub total: Decimal,
    pub balance: Decimal,
}

/// The totals under a list of invoices: issued and imported invoices, not void, not credit
/// notes (a credit note lowers its invoice's balance already), per currency in code order;
/// amounts in different currencies are never added.
pub fn listed_totals(docs: impl IntoIterator<Item = Totalled>) -> Vec<CurrencyTotal> {
    by_currency(docs.into_iter().filter(|d| {
        d.kind != DocumentKind::CreditNote && d.numbered && d.status != InvoiceStatus::Void
    }))
}

/// What ticked drafts would add up to once issued: draft invoices only, per currency.
pub fn draft_totals(docs: impl IntoIterator<Item = Totalled>) -> Vec<CurrencyTotal> {
    by_currency(
        docs.into_iter()
            .filter(|d| d.kind == DocumentKind::Invoice && d.status == InvoiceStatus::Draft),
    )
}

fn by_currency(docs: impl Iterator<Item = Totalled>) -> Vec<CurrencyTotal> {
    let mut totals: BTreeMap<String, CurrencyTotal> = BTreeMap::new();
    for d in docs {
        let entry = totals
            .entry(d.currency.code().to_string())
            .or_insert(CurrencyTotal {
                currency: d.currency,
                count: 0,
                total: Decimal::ZERO,
                balance: Decimal::ZERO,
            });
        entry.count += 1;
        entry.total += d.total;
        entry.balance += d.balance;
    }
    totals.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn facts(total: i64, paid: i64, credited: i64) -> InvoiceFacts {
        InvoiceFacts {
            draft: false,
            kind: DocumentKind::Invoice,
            total: Decimal::from(total),
            paid: Decimal::from(paid),
            credited: Decimal::from(credited),
            some_payment: paid > 0,
            due: Some(day("2026-11-30")),
            today: day("2026-11-28"),
        }
    }

    fn status(f: InvoiceFacts) -> InvoiceStatus {
        standing(f).status
    }

    #[test]
    fn statuses_follow_the_order_of_the_spec() {
        use InvoiceStatus::*;
        assert_eq!(status(facts(100, 0, 100)), Void);
        // Paid, then credited in full: a refund is due until it is paid back.
        assert_eq!(status(facts(100, 100, 100)), RefundDue);
        assert_eq!(standing(facts(100, 100, 100)).balance, Decimal::from(-100));
        assert_eq!(status(facts(100, 100, 0)), Paid);
        assert_eq!(status(facts(100, 60, 40)), Paid);
        assert_eq!(status(facts(100, 90, 0)), PartiallyPaid);
        assert_eq!(status(facts(100, 0, 0)), Issued);
        let draft = InvoiceFacts {
            draft: true,
            ..facts(100, 0, 0)
        };
        assert_eq!(status(draft), Draft);
    }

    #[test]
    fn overdue_starts_the_day_after_the_due_date() {
        let on_the_day = InvoiceFacts {
            today: day("2026-11-30"),
            ..facts(100, 90, 0)
        };
        assert_eq!(status(on_the_day), InvoiceStatus::PartiallyPaid);
        let late = InvoiceFacts {
            today: day("2026-12-01"),
            ..on_the_day
        };
        assert_eq!(status(late), InvoiceStatus::Overdue);
        // Paid in full is never overdue; no due date (a draft) never is.
        assert_eq!(
            status(InvoiceFacts {
                today: day("2027-01-01"),
                ..facts(100, 100, 0)
            }),
            InvoiceStatus::Paid
        );
        assert!(!is_overdue(None, day("2030-01-01")));
    }

    #[test]
    fn a_credit_note_settles_nothing_itself() {
        let note = InvoiceFacts {
            kind: DocumentKind::CreditNote,
            ..facts(-50, 0, 0)
        };
        assert_eq!(
            standing(note),
            Standing {
                balance: Decimal::ZERO,
                status: InvoiceStatus::Issued
            }
        );
    }

    #[test]
    fn statuses_and_kinds_travel_as_their_stored_words() {
        assert_eq!(
            serde_json::to_string(&InvoiceStatus::RefundDue).unwrap(),
            "\"refund_due\""
        );
        assert_eq!(InvoiceStatus::PartiallyPaid.as_str(), "partially_paid");
        for kind in ["invoice", "credit_note", "imported"] {
            assert_eq!(DocumentKind::from_stored(kind).as_str(), kind);
        }
    }

    fn doc(kind: DocumentKind, status: InvoiceStatus, code: &str, total: &str) -> Totalled {
        Totalled {
            kind,
            status,
            numbered: status != InvoiceStatus::Draft,
            currency: Currency::parse(code).unwrap(),
            total: total.parse().unwrap(),
            balance: total.parse().unwrap(),
        }
    }

    #[test]
    fn list_totals_count_issued_and_imported_invoices_per_currency_never_credit_notes_or_void() {
        use DocumentKind::*;
        use InvoiceStatus::*;
        let docs = [
            doc(Invoice, Issued, "EUR", "119.00"),
            doc(Imported, Overdue, "EUR", "50.00"),
            doc(CreditNote, Issued, "EUR", "-19.00"),
            doc(Invoice, Void, "EUR", "1000.00"),
            doc(Invoice, Draft, "EUR", "7.00"),
            doc(Invoice, Paid, "CHF", "10.00"),
        ];
        let totals = listed_totals(docs);
        let seen: Vec<(&str, usize, String)> = totals
            .iter()
            .map(|t| (t.currency.code(), t.count, t.total.to_string()))
            .collect();
        assert_eq!(
            seen,
            vec![("CHF", 1, "10.00".into()), ("EUR", 2, "169.00".into())]
        );

        let drafts = draft_totals(docs);
        assert_eq!(drafts.len(), 1);
        assert_eq!(
            (drafts[0].count, drafts[0].total.to_string()),
            (1, "7.00".into())
        );
    }
}
