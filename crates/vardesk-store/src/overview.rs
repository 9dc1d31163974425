//! The customer page: one customer with its quotes, invoices and subscriptions, and what
//! they add up to (recurring revenue and what is open, per currency: never added across).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;
use vardesk_core::billing::Interval;
use vardesk_core::Currency;

use crate::customers::CustomerRecord;
use crate::invoices::{currency_totals, CurrencyTotal, InvoiceRow};
use crate::quotes::{QuoteQuery, QuoteRow};
use crate::subscriptions::SubscriptionRow;
use crate::{Result, Store};

/// Monthly recurring revenue in one currency.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct CurrencyAmount {
    pub currency: Currency,
    pub amount: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct CustomerOverview {
    pub record: CustomerRecord,
    /// Every version that still counts (superseded ones left out), newest first.
    pub quotes: Vec<QuoteRow>,
    /// Drafts first, then the newest.
    pub invoices: Vec<InvoiceRow>,
    pub subscriptions: Vec<SubscriptionRow>,
    /// Of the subscriptions active today; an annual one counts a twelfth.
    pub mrr: Vec<CurrencyAmount>,
    /// Issued invoices per currency and what is still open on them.
    pub invoiced: Vec<CurrencyTotal>,
    pub overdue: u32,
}

impl Store {
    pub fn customer_overview(&self, id: i64, today: NaiveDate) -> Result<CustomerOverview> {
        let record = self.customer(id)?;
        let quotes = self
            .list_quotes(
                &QuoteQuery {
                    customer_id: Some(id),
                    ..Default::default()
                },
                today,
            )?
            .into_iter()
            .filter(|q| q.status != "superseded")
            .collect();
        let invoices = self.customer_invoices(id, today)?;
        let subscriptions: Vec<SubscriptionRow> = self
            .list_subscriptions(today)?
            .into_iter()
            .filter(|s| s.customer_id == id)
            .collect();
        let mut mrr: BTreeMap<&str, (Currency, Decimal)> = BTreeMap::new();
        for s in subscriptions.iter().filter(|s| s.active) {
            let entry = mrr
                .entry(s.currency.code())
                .or_insert((s.currency, Decimal::ZERO));
            entry.1 += Interval::from_stored(s.interval).per_month(s.amount);
        }
        let mrr = mrr
            .into_values()
            .map(|(currency, amount)| CurrencyAmount {
                currency,
                amount: currency.round(amount),
            })
            .collect();
        Ok(CustomerOverview {
            invoiced: currency_totals(&invoices),
            overdue: invoices
                .iter()
                .filter(|i| i.status == vardesk_core::standing::InvoiceStatus::Overdue)
                .count() as u32,
            record,
            quotes,
            invoices,
            mrr,
            subscriptions,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customers::CustomerQuery;

    #[test]
    fn the_page_holds_only_this_customer_and_adds_up_per_currency() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open_or_create(&dir.path().join("v.sqlite3")).unwrap();
        store
            .save_settings(&crate::sample::sample_company())
            .unwrap();
        let today: NaiveDate = "2026-11-23".parse().unwrap();
        store.load_sample_data(today).unwrap();
        let find = |name: &str| {
            store
                .list_customers(&CustomerQuery {
                    search: name.into(),
                    ..Default::default()
                })
                .unwrap()
                .customers[0]
                .id
        };
        let muller = find("müller");
        // In December the accepted quote's subscriptions run.
        let page = store
            .customer_overview(muller, "2026-12-15".parse().unwrap())
            .unwrap();
        assert_eq!(page.record.id, muller);
        assert!(!page.invoices.is_empty() && !page.subscriptions.is_empty());
        assert!(page.invoices.iter().all(|i| i.customer_id == muller));
        assert!(page.subscriptions.iter().all(|s| s.customer_id == muller));
        assert!(page.quotes.iter().all(|q| q.customer_id == muller));
        // Every invoice of the books is on exactly one customer's page.
        let all = store.list_invoices(None, None, today).unwrap().len();
        let customers = store
            .list_customers(&CustomerQuery::default())
            .unwrap()
            .customers;
        let mut on_pages = 0;
        let mut with_open = 0;
        for c in &customers {
            let p = store.customer_overview(c.id, today).unwrap();
            on_pages += p.invoices.len();
            // Open per currency: the balances of its issued invoices in that currency.
            for t in &p.invoiced {
                let open: Decimal = p
                    .invoices
                    .iter()
                    .filter(|i| i.currency == t.currency && i.number.is_some())
                    .filter(|i| {
                        i.kind != vardesk_core::standing::DocumentKind::CreditNote
                            && i.status != vardesk_core::standing::InvoiceStatus::Void
                    })
                    .map(|i| i.balance)
                    .sum();
                assert_eq!(t.balance, open, "{}", c.data.name);
                with_open += usize::from(!open.is_zero());
            }
            let overdue = p
                .invoices
                .iter()
                .filter(|i| i.status == vardesk_core::standing::InvoiceStatus::Overdue)
                .count();
            assert_eq!(p.overdue as usize, overdue);
        }
        assert_eq!(on_pages, all);
        assert!(with_open > 3, "the sample books have open invoices");
        // MRR: the active subscriptions, annual ones a twelfth, in the customer's currency.
        let expected: Decimal = page
            .subscriptions
            .iter()
            .filter(|s| s.active)
            .map(|s| Interval::from_stored(s.interval).per_month(s.amount))
            .sum();
        assert_eq!(page.mrr.len(), 1);
        assert_eq!(page.mrr[0].amount, Currency::EUR.round(expected));
        assert!(page.mrr[0].amount > Decimal::ZERO);
        assert_eq!(
            store.customer_overview(999_999, today).unwrap_err().code,
            vardesk_core::ErrorCode::NotFound
        );
    }
}
