//! The home screen's figures, per currency (amounts in different currencies are never
//! added): recurring revenue now, the open pipeline, receivables and this month's billing.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;
use vardesk_core::billing::Period;
use vardesk_core::Currency;

use crate::quotes::QuoteQuery;
use crate::{DbResult, Result, Store};

/// Figures of one currency.
#[derive(Debug, Clone, PartialEq, Serialize, Default, specta::Type)]
pub struct CurrencyFigures {
    pub mrr: Decimal,
    pub arr: Decimal,
    pub pipeline: Decimal,
    pub pipeline_weighted: Decimal,
    pub outstanding: Decimal,
    pub overdue: Decimal,
    /// How MRR changed since the end of last month, customer by customer.
    pub change: MrrChange,
}

/// Last month's MRR change split the usual way: customers who started paying (new), paying
/// more (expansion), paying less (contraction) or no longer paying (churned).
#[derive(Debug, Clone, PartialEq, Serialize, Default, specta::Type)]
pub struct MrrChange {
    /// MRR at the end of last month.
    pub previous: Decimal,
    /// MRR today (previous + net).
    pub current: Decimal,
    pub new: Decimal,
    pub expansion: Decimal,
    pub contraction: Decimal,
    pub churned: Decimal,
    /// new + expansion − contraction − churned.
    pub net: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct Dashboard {
    pub currencies: BTreeMap<String, CurrencyFigures>,
    /// The company's own currency: the dashboard leads with it.
    pub home_currency: String,
    pub active_subscriptions: u32,
    pub open_quotes: u32,
    pub quotes_expiring_this_week: u32,
    pub overdue_invoices: u32,
    pub draft_invoices: u32,
    /// The current month (YYYY-MM) and how many of its due subscriptions are billed.
    pub period: String,
    pub period_name: String,
    /// The day last month's MRR is measured on ("2026-10-31").
    pub previous_month_end: String,
    pub billed_this_month: u32,
    pub unbilled_this_month: u32,
    /// From the 20th: next month (YYYY-MM, its name) and how many lines its run would bill.
    pub next_period: Option<String>,
    pub next_period_name: Option<String>,
    pub unbilled_next_month: u32,
    /// Microsoft licences renewing (or ending) in the next 30 days (§10), per currency, and
    /// how many licences and seats at renewal in all.
    pub renewing: Vec<RenewingSoon>,
    pub renewing_licences: u32,
    #[serde(with = "vardesk_core::money::serde_str")]
    #[specta(type = String)]
    pub renewing_seats: Decimal,
}

/// Licences renewing in the next 30 days in one currency: how many, their seats at
/// renewal and what they bill per interval then.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct RenewingSoon {
    pub currency: String,
    pub licences: u32,
    #[serde(with = "vardesk_core::money::serde_str")]
    #[specta(type = String)]
    pub seats: Decimal,
    #[serde(with = "vardesk_core::money::serde_str")]
    #[specta(type = String)]
    pub value: Decimal,
}

impl Store {
    pub fn dashboard(&self, today: NaiveDate) -> Result<Dashboard> {
        let mut by_currency: BTreeMap<String, CurrencyFigures> = BTreeMap::new();

        let previous_month_end = Period::of(today).first_day().pred_opt().unwrap_or(today);
        let (changes, active) = self.mrr_movement(previous_month_end, today)?;
        for (code, change) in changes {
            let f = by_currency.entry(code).or_default();
            f.mrr = change.current;
            f.change = change;
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

        let mut overdue = 0;
        for r in self.receivables(today)? {
            let currency = Currency::parse(&r.currency)?;
            let f = by_currency.entry(r.currency).or_default();
            f.outstanding = currency.from_minor(r.outstanding_minor);
            f.overdue = currency.from_minor(r.overdue_minor);
            overdue += r.overdue_count;
        }
        let drafts: u32 = self
            .conn()
            .query_row(
                "SELECT count(*) FROM invoices WHERE status = 'draft' AND kind = 'invoice'",
                [],
                |r| r.get(0),
            )
            .db()?;

        for (code, f) in &mut by_currency {
            let currency = Currency::parse(code)?;
            // ARR from the unrounded MRR: one annual 1,000.00 is 1,000.00 a year, not
            // 12 × 83.33.
            f.arr = currency.round(f.mrr * Decimal::from(12));
            f.mrr = currency.round(f.mrr);
            f.pipeline_weighted = currency.round(f.pipeline_weighted);
            let c = &mut f.change;
            for v in [
                &mut c.current,
                &mut c.previous,
                &mut c.new,
                &mut c.expansion,
                &mut c.contraction,
                &mut c.churned,
            ] {
                *v = currency.round(*v);
            }
            c.net = c.new + c.expansion - c.contraction - c.churned;
        }

        let period = Period::of(today);
        let run = self.preview_billing_run(&period.to_string())?;
        let unbilled: usize = run.invoices.iter().map(|i| i.lines.len()).sum();
        let next = vardesk_core::billing::next_run_offered(today);
        let unbilled_next: usize = match next {
            Some(next) => self
                .preview_billing_run(&next.to_string())?
                .invoices
                .iter()
                .map(|i| i.lines.len())
                .sum(),
            None => 0,
        };
        let home_currency = self.settings()?.map_or_else(
            || "EUR".to_string(),
            |s| s.default_currency.code().to_string(),
        );
        let mut renewing: BTreeMap<String, RenewingSoon> = BTreeMap::new();
        for r in self.renewals(today, 30)? {
            let soon = renewing
                .entry(r.currency.clone())
                .or_insert_with(|| RenewingSoon {
                    currency: r.currency.clone(),
                    licences: 0,
                    seats: Decimal::ZERO,
                    value: Decimal::ZERO,
                });
            soon.licences += 1;
            soon.seats += r.seats_at_renewal;
            soon.value += r.value;
        }
        Ok(Dashboard {
            renewing_licences: renewing.values().map(|r| r.licences).sum(),
            renewing_seats: renewing.values().map(|r| r.seats).sum(),
            renewing: renewing.into_values().collect(),
            currencies: by_currency,
            home_currency,
            active_subscriptions: active,
            open_quotes: quotes.len() as u32,
            quotes_expiring_this_week: expiring,
            overdue_invoices: overdue,
            draft_invoices: drafts,
            period: period.to_string(),
            period_name: period.long_name(),
            previous_month_end: previous_month_end.to_string(),
            billed_this_month: run.already_billed,
            unbilled_this_month: unbilled as u32,
            next_period: next.map(|p| p.to_string()),
            next_period_name: next.map(|p| p.long_name()),
            unbilled_next_month: unbilled_next as u32,
        })
    }
}

/// Issued invoices with something left to pay, per currency.
struct Receivables {
    currency: String,
    outstanding_minor: i64,
    overdue_minor: i64,
    overdue_count: u32,
}

/// A subscription's charge as it stood on some day.
struct Charge {
    quantity_e4: i64,
    unit_price_e4: i64,
    discount_e2: i64,
    interval: String,
}

impl Charge {
    /// The monthly revenue: one interval's charge (rounded, as billed), a twelfth if annual.
    fn monthly(&self, currency: Currency) -> Decimal {
        let t = vardesk_core::lines::Line {
            description: String::new(),
            quantity: crate::from_scaled(self.quantity_e4, 4),
            unit: String::new(),
            unit_price: crate::from_scaled(self.unit_price_e4, 4),
            unit_cost: None,
            discount_percent: Some(crate::from_scaled(self.discount_e2, 2)),
            tax_rate_percent: None,
            kind: Default::default(),
            goods: false,
            tax_category: None,
        };
        vardesk_core::billing::Interval::from_stored(&self.interval).per_month(t.net(currency))
    }
}

impl Store {
    /// From the open balances per currency and due date (kept by triggers): a row per day.
    fn receivables(&self, today: NaiveDate) -> Result<Vec<Receivables>> {
        let mut stmt = self
            .conn()
            .prepare_cached(
                "SELECT currency, sum(balance_minor),
                    sum(CASE WHEN due_date < ?1 THEN balance_minor ELSE 0 END),
                    sum(CASE WHEN due_date < ?1 THEN invoices ELSE 0 END)
                 FROM open_balance_days GROUP BY currency",
            )
            .db()?;
        let rows = stmt
            .query_map([today.to_string()], |r| {
                Ok(Receivables {
                    currency: r.get(0)?,
                    outstanding_minor: r.get(1)?,
                    overdue_minor: r.get(2)?,
                    overdue_count: r.get(3)?,
                })
            })
            .db()?
            .collect::<rusqlite::Result<Vec<_>>>()
            .db();
        rows
    }

    /// MRR on `before` against MRR on `today`, customer by customer, per currency. A
    /// subscription's charge on a past day comes from its revisions (written by a trigger
    /// whenever quantity, price, discount or interval change).
    pub fn mrr_change(
        &self,
        before: NaiveDate,
        today: NaiveDate,
    ) -> Result<BTreeMap<String, MrrChange>> {
        Ok(self.mrr_movement(before, today)?.0)
    }

    /// `mrr_change`, and how many subscriptions are active today.
    fn mrr_movement(
        &self,
        before: NaiveDate,
        today: NaiveDate,
    ) -> Result<(BTreeMap<String, MrrChange>, u32)> {
        let mut earlier: BTreeMap<i64, Charge> = BTreeMap::new();
        let mut stmt = self
            .conn()
            .prepare(
                "SELECT subscription_id, quantity_e4, unit_price_e4, discount_e2, interval
                 FROM subscription_revisions WHERE changed_on > ?1 ORDER BY changed_on DESC, id DESC",
            )
            .db()?;
        let revisions = stmt
            .query_map([before.to_string()], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    Charge {
                        quantity_e4: r.get(1)?,
                        unit_price_e4: r.get(2)?,
                        discount_e2: r.get(3)?,
                        interval: r.get(4)?,
                    },
                ))
            })
            .db()?
            .collect::<rusqlite::Result<Vec<_>>>()
            .db()?;
        // Newest first, so the earliest change after `before` is inserted last and wins.
        for (id, charge) in revisions {
            earlier.insert(id, charge);
        }

        let mut stmt = self
            .conn()
            .prepare(
                "SELECT id, customer_id, currency, quantity_e4, unit_price_e4, discount_e2,
                    interval, start_date, end_date
                 FROM subscriptions WHERE start_date <= ?2 AND (end_date IS NULL OR end_date >= ?1)",
            )
            .db()?;
        let subs = stmt
            .query_map([before.to_string(), today.to_string()], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                    Charge {
                        quantity_e4: r.get(3)?,
                        unit_price_e4: r.get(4)?,
                        discount_e2: r.get(5)?,
                        interval: r.get(6)?,
                    },
                    r.get::<_, String>(7)?,
                    r.get::<_, Option<String>>(8)?,
                ))
            })
            .db()?
            .collect::<rusqlite::Result<Vec<_>>>()
            .db()?;
        // (currency, customer) → (MRR before, MRR now).
        let mut per_customer: BTreeMap<(String, i64), (Decimal, Decimal)> = BTreeMap::new();
        let mut active = 0;
        for (id, customer, code, now, start, end) in subs {
            let currency = Currency::parse(&code)?;
            let active_on = |d: NaiveDate| {
                let d = d.to_string();
                start <= d && end.as_ref().is_none_or(|e| *e >= d)
            };
            let entry = per_customer.entry((code, customer)).or_default();
            if active_on(before) {
                entry.0 += earlier.get(&id).unwrap_or(&now).monthly(currency);
            }
            if active_on(today) {
                entry.1 += now.monthly(currency);
                active += 1;
            }
        }
        let mut out: BTreeMap<String, MrrChange> = BTreeMap::new();
        for ((code, _), (was, is)) in per_customer {
            let c = out.entry(code).or_default();
            c.previous += was;
            c.current += is;
            if was.is_zero() && !is.is_zero() {
                c.new += is;
            } else if !was.is_zero() && is.is_zero() {
                c.churned += was;
            } else if is > was {
                c.expansion += is - was;
            } else {
                c.contraction += was - is;
            }
        }
        for c in out.values_mut() {
            c.net = c.new + c.expansion - c.contraction - c.churned;
        }
        Ok((out, active))
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::{day, temp_store};
    use vardesk_core::settings::SettingsForm;

    /// Hand-computed movement from 31 Oct to 23 Nov: Acme keeps 10 × 20 (no change), Bolt
    /// starts at 5 × 20 = 100 (new), Cora ended in October after 3 × 20 = 60 (churned),
    /// Dyna went from 10 to 12 seats of 20 on 10 Nov (expansion 40), Echo's annual 1200
    /// dropped to 600 (contraction 50 a month). Dollars stay apart.
    #[test]
    fn arr_comes_from_the_unrounded_mrr() {
        use vardesk_core::customer::CustomerForm;
        use vardesk_core::invoicing::SubscriptionForm;
        let (_dir, mut store) = crate::test_support::profiled_store();
        let customer = store
            .create_customer(&CustomerForm {
                name: "Annual AG".into(),
                currency: "EUR".into(),
                ..Default::default()
            })
            .unwrap()
            .id;
        let form = SubscriptionForm {
            customer_id: Some(customer),
            catalog_item_id: None,
            description: "Support".into(),
            quantity: "1".into(),
            unit: "year".into(),
            unit_price: "1000".into(),
            unit_cost: "0".into(),
            discount_percent: "0".into(),
            tax_rate_percent: "19".into(),
            interval: "annual".into(),
            start_date: "2026-01-01".into(),
            end_date: String::new(),
            ..SubscriptionForm::default()
        };
        store.save_subscription(None, &form).unwrap();
        let d = store.dashboard(day("2026-11-23")).unwrap();
        let eur = &d.currencies["EUR"];
        assert_eq!(
            (eur.mrr.to_string(), eur.arr.to_string()),
            ("83.33".into(), "1000.00".into())
        );
    }

    #[test]
    fn mrr_change_new_expansion_contraction_churn_by_hand() {
        use vardesk_core::customer::CustomerForm;
        use vardesk_core::invoicing::SubscriptionForm;
        let (_dir, mut store) = crate::test_support::profiled_store();
        let mut add =
            |name: &str, currency: &str, qty: &str, interval: &str, start: &str, end: &str| {
                let customer = store
                    .create_customer(&CustomerForm {
                        name: name.into(),
                        currency: currency.into(),
                        ..Default::default()
                    })
                    .unwrap()
                    .id;
                let form = SubscriptionForm {
                    customer_id: Some(customer),
                    catalog_item_id: None,
                    description: "Seats".into(),
                    quantity: qty.into(),
                    unit: "seat".into(),
                    unit_price: "20".into(),
                    unit_cost: "10".into(),
                    discount_percent: "0".into(),
                    tax_rate_percent: "0".into(),
                    interval: interval.into(),
                    start_date: start.into(),
                    end_date: end.into(),
                    ..SubscriptionForm::default()
                };
                (store.save_subscription(None, &form).unwrap(), form)
            };
        add("Acme", "EUR", "10", "monthly", "2026-01-01", "");
        add("Bolt", "EUR", "5", "monthly", "2026-11-05", "");
        add("Cora", "EUR", "3", "monthly", "2026-01-01", "2026-10-15");
        let (dyna, dyna_form) = add("Dyna", "EUR", "10", "monthly", "2026-01-01", "");
        let (echo, echo_form) = add("Echo", "EUR", "60", "annual", "2026-01-01", "");
        add("Yank", "USD", "7", "monthly", "2026-01-01", "");
        store
            .save_subscription(
                Some(dyna),
                &SubscriptionForm {
                    quantity: "12".into(),
                    ..dyna_form
                },
            )
            .unwrap();
        store
            .save_subscription(
                Some(echo),
                &SubscriptionForm {
                    quantity: "30".into(),
                    ..echo_form
                },
            )
            .unwrap();
        // The trigger stamps today's date; move the changes to 10 Nov.
        let changed = store
            .conn()
            .execute(
                "UPDATE subscription_revisions SET changed_on = '2026-11-10'",
                [],
            )
            .unwrap();
        assert_eq!(changed, 2, "one revision per changed subscription");

        let d = store.dashboard(day("2026-11-23")).unwrap();
        let eur = &d.currencies["EUR"].change;
        assert_eq!(d.previous_month_end, "2026-10-31");
        // Before: Acme 200 + Dyna 200 + Echo 100 = 500 (Cora ended on the 15th).
        assert_eq!(eur.previous.to_string(), "500.00");
        assert_eq!(eur.new.to_string(), "100.00");
        assert_eq!(eur.expansion.to_string(), "40.00");
        assert_eq!(eur.contraction.to_string(), "50.00");
        assert!(
            eur.churned.is_zero(),
            "Cora had left before the end of October"
        );
        assert_eq!(eur.net.to_string(), "90.00");
        assert_eq!(d.currencies["EUR"].mrr, eur.previous + eur.net);
        assert_eq!(d.currencies["USD"].change.previous.to_string(), "140.00");
        assert!(d.currencies["USD"].change.net.is_zero());

        // Measured from the end of September, Cora's 60 is churn.
        let since_september = store
            .mrr_change(day("2026-09-30"), day("2026-11-23"))
            .unwrap();
        assert_eq!(since_september["EUR"].churned.to_string(), "60.00");
    }

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
        assert_eq!(d.next_period, None, "before the 20th");

        // From the 20th, January is offered, with what its run would bill; December's
        // lines are counted apart, and billing December does not change January's count.
        let late = store.dashboard("2026-12-20".parse().unwrap()).unwrap();
        assert_eq!(late.next_period.as_deref(), Some("2027-01"));
        assert_eq!(
            late.unbilled_next_month, 2,
            "the yearly one is not due in January"
        );
        store.run_billing("2026-12").unwrap();
        let billed = store.dashboard("2026-12-20".parse().unwrap()).unwrap();
        assert_eq!(
            (billed.billed_this_month, billed.unbilled_this_month),
            (3, 0)
        );
        assert_eq!(billed.unbilled_next_month, 2);
        store.run_billing("2027-01").unwrap();
        let ahead = store.dashboard("2026-12-20".parse().unwrap()).unwrap();
        assert_eq!(ahead.unbilled_next_month, 0);
    }
}
