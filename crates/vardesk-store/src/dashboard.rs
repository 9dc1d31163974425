//! The home screen's figures, per currency (amounts in different currencies are never
//! added): recurring revenue now, the open pipeline, receivables and this month's billing.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;
use vardesk_core::billing::Period;
use vardesk_core::Currency;

use crate::quotes::QuoteQuery;
use crate::{Result, Store};

/// Figures of one currency.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct CurrencyFigures {
    pub mrr: Decimal,
    pub arr: Decimal,
    pub pipeline: Decimal,
    pub pipeline_weighted: Decimal,
    pub outstanding: Decimal,
    pub overdue: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dashboard {
    pub currencies: BTreeMap<String, CurrencyFigures>,
    pub active_subscriptions: u32,
    pub open_quotes: u32,
    pub quotes_expiring_this_week: u32,
    pub overdue_invoices: u32,
    pub draft_invoices: u32,
    /// The current month (YYYY-MM) and how many of its due subscriptions are billed.
    pub period: String,
    pub period_name: String,
    pub billed_this_month: u32,
    pub unbilled_this_month: u32,
}

impl Store {
    pub fn dashboard(&self, today: NaiveDate) -> Result<Dashboard> {
        let mut by_currency: BTreeMap<String, CurrencyFigures> = BTreeMap::new();

        let subscriptions = self.list_subscriptions(today)?;
        let mut active = 0;
        for s in subscriptions.iter().filter(|s| s.active) {
            active += 1;
            let monthly = if s.interval == "annual" {
                s.amount / Decimal::from(12)
            } else {
                s.amount
            };
            by_currency.entry(s.currency.code().into()).or_default().mrr += monthly;
        }

        let quotes = self.list_quotes(
            &QuoteQuery {
                status: "sent".into(),
                ..Default::default()
            },
            today,
        )?;
        let week = today + chrono::Days::new(7);
        let mut expiring = 0;
        for q in &quotes {
            let f = by_currency.entry(q.currency.code().into()).or_default();
            f.pipeline += q.first_year;
            f.pipeline_weighted += q.first_year * q.win_probability_percent / Decimal::ONE_HUNDRED;
            if q.valid_until.parse::<NaiveDate>().is_ok_and(|d| d <= week) {
                expiring += 1;
            }
        }

        let invoices = self.list_invoices(None, None, today)?;
        let (mut overdue, mut drafts) = (0, 0);
        for i in &invoices {
            match i.status {
                "draft" => drafts += 1,
                "issued" | "partially_paid" | "overdue" => {
                    let f = by_currency.entry(i.currency.code().into()).or_default();
                    f.outstanding += i.balance;
                    if i.status == "overdue" {
                        f.overdue += i.balance;
                        overdue += 1;
                    }
                }
                _ => {}
            }
        }
        for (code, f) in &mut by_currency {
            let currency = Currency::parse(code)?;
            f.mrr = currency.round(f.mrr);
            f.arr = currency.round(f.mrr * Decimal::from(12));
            f.pipeline_weighted = currency.round(f.pipeline_weighted);
        }

        let period = Period::of(today);
        let run = self.preview_billing_run(&period.to_string())?;
        let unbilled: usize = run.invoices.iter().map(|i| i.lines.len()).sum();
        Ok(Dashboard {
            currencies: by_currency,
            active_subscriptions: active,
            open_quotes: quotes.len() as u32,
            quotes_expiring_this_week: expiring,
            overdue_invoices: overdue,
            draft_invoices: drafts,
            period: period.to_string(),
            period_name: period.long_name(),
            billed_this_month: run.already_billed,
            unbilled_this_month: unbilled as u32,
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::temp_store;
    use vardesk_core::settings::SettingsForm;

    #[test]
    fn figures_from_the_sample_data_per_currency() {
        let (_dir, mut store) = temp_store();
        let profile = SettingsForm {
            company_name: "Contoso".into(),
            ..SettingsForm::first_run()
        };
        store.save_settings(&profile).unwrap();
        store
            .load_sample_data_without_billing("2026-11-23".parse().unwrap())
            .unwrap();
        // In December the accepted quote's subscriptions run: 927.00 + 132.75 + 240 / 12.
        let d = store.dashboard("2026-12-05".parse().unwrap()).unwrap();
        let eur = &d.currencies["EUR"];
        assert_eq!(eur.mrr.to_string(), "1079.75");
        assert_eq!(eur.arr.to_string(), "12957.00");
        assert_eq!(d.active_subscriptions, 3);
        assert_eq!((d.billed_this_month, d.unbilled_this_month), (0, 3));
        assert_eq!(
            d.open_quotes, 1,
            "the sent Fabrikam quote; the expired one is not open"
        );
        assert!(eur.pipeline > eur.pipeline_weighted);
        assert_eq!(d.draft_invoices, 1);
        assert!(eur.outstanding.is_zero());
    }
}
