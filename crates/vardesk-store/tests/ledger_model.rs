//! A model-based test of the ledger (issue: ledger trust). Random sequences of subscription
//! changes, billing runs, issues, payments, refunds, reversals, partial, fixed and full
//! credits, backups, restores and number-template switches drive the real store; a small
//! reference model follows along. After every step:
//! - no number is ever issued twice (with other content), across restores;
//! - `check` is clean (gapless sequences apart from recorded restore losses, documents
//!   adding up, credits within invoices, no period billed twice, open balances);
//! - each invoice's payments and credits are the model's, its balance and status follow;
//! - a fully credited invoice got back exactly its tax per rate;
//! - no subscription has two bills covering the same month.
//!
//! Seeded (`PROPTEST_RNG_SEED` overrides); a failure prints the shrunk sequence of steps.
//! 100 sequences × 100 steps = 10,000 steps in the test command; more with
//! `cargo test -p vardesk-store --test ledger_model -- --ignored`.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use chrono::{Datelike, Days, NaiveDate};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestRunner};
use rust_decimal::Decimal;
use vardesk_core::customer::CustomerForm;
use vardesk_core::invoicing::{CreditLineForm, SubscriptionForm};
use vardesk_core::settings::SettingsForm;
use vardesk_store::backup::BackupKind;
use vardesk_store::credits::{CreditOrder, FixedCreditForm};
use vardesk_store::Store;

#[derive(Debug, Clone)]
enum Step {
    AddSubscription {
        customer: usize,
        seats: u8,
        cents: u32,
        tax: u8,
        annual: bool,
        start_month: u8,
        start_day: u8,
    },
    EditSubscription {
        pick: usize,
        seats: Option<u8>,
        cents: Option<u32>,
        switch_interval: bool,
        start_month: Option<u8>,
    },
    Bill {
        month: u8,
    },
    IssueAll,
    Pay {
        pick: usize,
        percent: u8,
    },
    Refund {
        pick: usize,
        percent: u8,
    },
    Reverse {
        pick: usize,
        payment: usize,
    },
    CreditLine {
        pick: usize,
        line: usize,
        quantity: u8,
    },
    CreditFixed {
        pick: usize,
        percent: u8,
    },
    CreditAll {
        pick: usize,
    },
    Backup,
    Restore {
        pick: usize,
    },
    SwitchTemplate,
}

fn step() -> impl Strategy<Value = Step> {
    let pick = 0usize..64;
    prop_oneof![
        2 => (0usize..3, 1u8..6, 1u32..5000, prop::sample::select(vec![0u8, 7, 19]), any::<bool>(), 0u8..4, 1u8..29)
            .prop_map(|(customer, seats, cents, tax, annual, start_month, start_day)| Step::AddSubscription { customer, seats, cents, tax, annual, start_month, start_day }),
        1 => (pick.clone(), prop::option::of(1u8..8), prop::option::of(1u32..5000), any::<bool>(), prop::option::weighted(0.2, 0u8..14))
            .prop_map(|(pick, seats, cents, switch_interval, start_month)| Step::EditSubscription { pick, seats, cents, switch_interval, start_month }),
        3 => (0u8..14).prop_map(|month| Step::Bill { month }),
        2 => Just(Step::IssueAll),
        3 => (pick.clone(), 1u8..=100).prop_map(|(pick, percent)| Step::Pay { pick, percent }),
        1 => (pick.clone(), 1u8..=100).prop_map(|(pick, percent)| Step::Refund { pick, percent }),
        1 => (pick.clone(), 0usize..4).prop_map(|(pick, payment)| Step::Reverse { pick, payment }),
        2 => (pick.clone(), 0usize..3, 1u8..4).prop_map(|(pick, line, quantity)| Step::CreditLine { pick, line, quantity }),
        1 => (pick.clone(), 1u8..=100).prop_map(|(pick, percent)| Step::CreditFixed { pick, percent }),
        1 => pick.clone().prop_map(|pick| Step::CreditAll { pick }),
        1 => Just(Step::Backup),
        1 => (0usize..8).prop_map(|pick| Step::Restore { pick }),
        1 => Just(Step::SwitchTemplate),
    ]
}

/// What the model knows of one issued invoice: what was paid and credited on it.
#[derive(Debug, Clone, Default, PartialEq)]
struct Money {
    paid: Decimal,
    credited: Decimal,
}

#[derive(Debug, Clone, Default)]
struct Model {
    invoices: BTreeMap<i64, Money>,
    yearly_template: bool,
}

struct World {
    _dir: tempfile::TempDir,
    store: Store,
    model: Model,
    customers: Vec<i64>,
    backups: Vec<(PathBuf, Model)>,
    /// Every number ever issued: (kind, number) → (customer, total). Never forgotten, not
    /// even by a restore.
    issued: HashMap<(String, String), (i64, Decimal)>,
    day: NaiveDate,
}

/// A scratch folder in memory when there is one (the test writes thousands of times).
fn scratch() -> tempfile::TempDir {
    let shm = std::path::Path::new("/dev/shm");
    if shm.is_dir() {
        if let Ok(dir) = tempfile::tempdir_in(shm) {
            return dir;
        }
    }
    tempfile::tempdir().unwrap()
}

impl World {
    fn new() -> World {
        let dir = scratch();
        let mut store = Store::open_or_create(&dir.path().join("books.vardesk")).unwrap();
        store
            .save_settings(&SettingsForm {
                company_name: "Model GmbH".into(),
                country: "DE".into(),
                ..vardesk_store::sample::sample_company()
            })
            .unwrap();
        let folder = dir.path().join("backups");
        store
            .save_backup_settings(Some(folder.to_str().unwrap()), 365)
            .unwrap();
        let customers = ["Alpha", "Beta", "Gamma"]
            .iter()
            .map(|name| {
                store
                    .create_customer(&CustomerForm {
                        name: (*name).into(),
                        country: "DE".into(),
                        currency: "EUR".into(),
                        payment_terms_days: "14".into(),
                        status: "active".into(),
                        ..Default::default()
                    })
                    .unwrap()
                    .id
            })
            .collect();
        World {
            _dir: dir,
            store,
            model: Model::default(),
            customers,
            backups: Vec::new(),
            issued: HashMap::new(),
            day: "2026-11-01".parse().unwrap(),
        }
    }

    fn open_invoices(&self) -> Vec<vardesk_store::invoices::InvoiceRow> {
        self.store
            .list_invoices(None, None, self.day)
            .unwrap()
            .into_iter()
            .filter(|r| {
                r.kind == vardesk_core::standing::DocumentKind::Invoice && r.number.is_some()
            })
            .collect()
    }

    fn pick_invoice(&self, pick: usize) -> Option<vardesk_store::invoices::InvoiceRow> {
        let all = self.open_invoices();
        (!all.is_empty()).then(|| all[pick % all.len()].clone())
    }

    fn subscriptions(&self) -> Vec<i64> {
        self.store
            .list_subscriptions(self.day)
            .unwrap()
            .iter()
            .map(|s| s.id)
            .collect()
    }

    fn credited(&mut self, id: i64, note: &vardesk_store::invoices::InvoiceRow) {
        self.model.invoices.entry(id).or_default().credited += note.total;
    }

    fn apply(&mut self, step: &Step) -> Result<(), TestCaseError> {
        self.day = self.day + Days::new(3);
        let day = self.day;
        let period = |month: u8| {
            let first =
                NaiveDate::from_ymd_opt(2026, 11, 1).unwrap() + chrono::Months::new(month.into());
            format!("{:04}-{:02}", first.year(), first.month())
        };
        match step.clone() {
            Step::AddSubscription {
                customer,
                seats,
                cents,
                tax,
                annual,
                start_month,
                start_day,
            } => {
                let start = NaiveDate::from_ymd_opt(2026, 11, u32::from(start_day)).unwrap()
                    + chrono::Months::new(start_month.into());
                let form = SubscriptionForm {
                    customer_id: Some(self.customers[customer]),
                    catalog_item_id: None,
                    description: "Seats".into(),
                    quantity: seats.to_string(),
                    unit: "seat".into(),
                    unit_price: (Decimal::from(cents) / Decimal::ONE_HUNDRED).to_string(),
                    unit_cost: "0".into(),
                    discount_percent: "0".into(),
                    tax_rate_percent: tax.to_string(),
                    interval: if annual { "annual" } else { "monthly" }.into(),
                    start_date: start.to_string(),
                    end_date: String::new(),
                    ..SubscriptionForm::default()
                };
                self.store.save_subscription(None, &form).map_err(fail)?;
            }
            Step::EditSubscription {
                pick,
                seats,
                cents,
                switch_interval,
                start_month,
            } => {
                let subs = self.subscriptions();
                if subs.is_empty() {
                    return Ok(());
                }
                let id = subs[pick % subs.len()];
                let mut form = self.store.subscription_form(id).unwrap();
                if let Some(seats) = seats {
                    form.quantity = seats.to_string();
                }
                if let Some(cents) = cents {
                    form.unit_price = (Decimal::from(cents) / Decimal::ONE_HUNDRED).to_string();
                }
                if switch_interval {
                    form.interval = if form.interval == "annual" {
                        "monthly"
                    } else {
                        "annual"
                    }
                    .into();
                }
                if let Some(m) = start_month {
                    form.start_date = (NaiveDate::from_ymd_opt(2026, 11, 1).unwrap()
                        + chrono::Months::new(m.into()))
                    .to_string();
                }
                // A start moved into billed periods is refused; anything else must work.
                let moved = start_month.is_some();
                if let Err(e) = self.store.save_subscription(Some(id), &form) {
                    prop_assert!(moved, "edit refused: {}", e.message);
                }
            }
            Step::Bill { month } => {
                self.store.run_billing(&period(month)).map_err(fail)?;
            }
            Step::IssueAll => {
                let (_, problems) = self.store.issue_all_drafts(None, day).map_err(fail)?;
                prop_assert!(problems.is_empty(), "{problems:?}");
            }
            Step::Pay { pick, percent } => {
                let Some(row) = self.pick_invoice(pick) else {
                    return Ok(());
                };
                if row.balance <= Decimal::ZERO {
                    // Nothing open: a payment is refused.
                    let refused = self.store.record_payment(row.id, "0.01", day, "bank", "");
                    prop_assert!(refused.is_err(), "a payment on {row:?}");
                    return Ok(());
                }
                let amount = row
                    .currency
                    .round(row.balance * Decimal::from(percent) / Decimal::ONE_HUNDRED);
                let amount = amount.max(row.currency.from_minor(1));
                self.store
                    .record_payment(row.id, &amount.to_string(), day, "bank", "")
                    .map_err(fail)?;
                self.model.invoices.entry(row.id).or_default().paid += amount;
            }
            Step::Refund { pick, percent } => {
                let Some(row) = self.pick_invoice(pick) else {
                    return Ok(());
                };
                if row.balance >= Decimal::ZERO {
                    // Nothing owed back: a refund is refused.
                    let refused = self
                        .store
                        .record_payment(row.id, "-0.01", day, "bank", "refund");
                    prop_assert!(refused.is_err(), "a refund on {row:?}");
                    return Ok(());
                }
                let amount = row
                    .currency
                    .round(row.balance * Decimal::from(percent) / Decimal::ONE_HUNDRED);
                let result =
                    self.store
                        .record_payment(row.id, &amount.to_string(), day, "bank", "refund");
                if amount < Decimal::ZERO {
                    result.map_err(fail)?;
                    self.model.invoices.entry(row.id).or_default().paid += amount;
                }
            }
            Step::Reverse { pick, payment } => {
                let Some(row) = self.pick_invoice(pick) else {
                    return Ok(());
                };
                let detail = self.store.invoice(row.id, day).unwrap();
                let candidates: Vec<_> = detail
                    .payments
                    .iter()
                    .filter(|p| p.reverses.is_none() && !p.reversed)
                    .collect();
                if candidates.is_empty()
                    || row.status == vardesk_core::standing::InvoiceStatus::Void
                {
                    return Ok(());
                }
                let p = candidates[payment % candidates.len()];
                self.store
                    .reverse_payment(row.id, p.id, day)
                    .map_err(fail)?;
                self.model.invoices.entry(row.id).or_default().paid -= p.amount;
            }
            Step::CreditLine {
                pick,
                line,
                quantity,
            } => {
                let Some(row) = self.pick_invoice(pick) else {
                    return Ok(());
                };
                let detail = self.store.invoice(row.id, day).unwrap();
                let i = line % detail.line_ids.len();
                let open = detail.creditable[i];
                let quantity = Decimal::from(quantity).min(open);
                let lines = [CreditLineForm {
                    line_id: detail.line_ids[i],
                    quantity: quantity.to_string(),
                }];
                let order = CreditOrder {
                    lines: &lines,
                    ..Default::default()
                };
                if let Ok(note) = self.store.credit(row.id, &order, day) {
                    prop_assert!(quantity > Decimal::ZERO);
                    self.credited(row.id, &note);
                }
            }
            Step::CreditFixed { pick, percent } => {
                let Some(row) = self.pick_invoice(pick) else {
                    return Ok(());
                };
                let detail = self.store.invoice(row.id, day).unwrap();
                let Some(tax) = detail.totals.taxes.first() else {
                    return Ok(());
                };
                let net = row
                    .currency
                    .round(tax.base * Decimal::from(percent) / Decimal::from(1000));
                let rate = tax.rate_percent;
                let amounts = [FixedCreditForm {
                    category: if rate > Decimal::ZERO { "S" } else { "Z" }.into(),
                    rate: rate.to_string(),
                    net: net.to_string(),
                }];
                let order = CreditOrder {
                    amounts: &amounts,
                    reason: "Goodwill",
                    ..Default::default()
                };
                if let Ok(note) = self.store.credit(row.id, &order, day) {
                    self.credited(row.id, &note);
                }
            }
            Step::CreditAll { pick } => {
                let Some(row) = self.pick_invoice(pick) else {
                    return Ok(());
                };
                let order = CreditOrder {
                    everything: true,
                    ..Default::default()
                };
                let result = self.store.credit(row.id, &order, day);
                // "Credit everything still open" always works while something is open.
                let open = row.status != vardesk_core::standing::InvoiceStatus::Void
                    && row.credited < row.total;
                if open {
                    let note = result.map_err(fail)?;
                    self.credited(row.id, &note);
                    let after = self.store.invoice_row(row.id, day).unwrap();
                    prop_assert_eq!(
                        after.credited,
                        after.total,
                        "credit all left something open"
                    );
                } else {
                    prop_assert!(result.is_err());
                }
            }
            Step::Backup => {
                let file = self.store.back_up_now(BackupKind::Manual).map_err(fail)?;
                self.backups
                    .push((PathBuf::from(file.path), self.model.clone()));
            }
            Step::Restore { pick } => {
                if self.backups.is_empty() {
                    return Ok(());
                }
                let (path, model) = self.backups[pick % self.backups.len()].clone();
                let lost = self.store.restore_losses(&path).map_err(fail)?;
                let outcome = self.store.restore_from(&path).map_err(fail)?;
                prop_assert_eq!(lost, outcome.lost);
                // The device's template choice is part of the file's settings: follow it.
                let template = self
                    .store
                    .require_settings()
                    .unwrap()
                    .invoice_number_template;
                self.model = Model {
                    yearly_template: template.contains("{YYYY}"),
                    ..model
                };
            }
            Step::SwitchTemplate => {
                let mut form = SettingsForm::from_settings(&self.store.require_settings().unwrap());
                let yearly = form.invoice_number_template.contains("{YYYY}");
                form.invoice_number_template = if yearly {
                    "R{SEQ:5}"
                } else {
                    "INV-{YYYY}-{SEQ:4}"
                }
                .into();
                self.store.save_settings(&form).map_err(fail)?;
                self.model.yearly_template = !yearly;
            }
        }
        Ok(())
    }

    fn invariants(&mut self) -> Result<(), TestCaseError> {
        let report = self.store.check().unwrap();
        prop_assert!(report.ok, "check: {:?}", report.problems);
        let all = self.store.list_invoices(None, None, self.day).unwrap();
        for row in all.iter().filter(|r| r.number.is_some()) {
            let key = (row.kind.to_string(), row.number.clone().unwrap());
            let content = (row.customer_id, row.total);
            let first = self.issued.entry(key.clone()).or_insert(content);
            prop_assert_eq!(
                *first,
                content,
                "{:?} was issued twice with different content",
                key
            );
        }
        for row in all.iter().filter(|r| {
            r.kind == vardesk_core::standing::DocumentKind::Invoice && r.number.is_some()
        }) {
            let model = self
                .model
                .invoices
                .get(&row.id)
                .cloned()
                .unwrap_or_default();
            prop_assert_eq!(
                &Money {
                    paid: row.paid,
                    credited: row.credited
                },
                &model,
                "invoice {}",
                row.id
            );
            prop_assert_eq!(row.balance, row.total - row.paid - row.credited);
            prop_assert!(row.credited <= row.total);
            if row.credited == row.total && !row.total.is_zero() {
                // Fully credited: the notes gave back exactly its tax, rate by rate.
                let detail = self.store.invoice(row.id, self.day).unwrap();
                let mut back: BTreeMap<Decimal, Decimal> = BTreeMap::new();
                for note in &detail.credit_notes {
                    for t in self.store.invoice(note.id, self.day).unwrap().totals.taxes {
                        *back.entry(t.rate_percent.normalize()).or_default() += t.tax;
                    }
                }
                let own: BTreeMap<Decimal, Decimal> = detail
                    .totals
                    .taxes
                    .iter()
                    .map(|t| (t.rate_percent.normalize(), t.tax))
                    .collect();
                prop_assert_eq!(back, own, "tax given back on {:?}", row.number);
                // Void once settled, a refund due while money is owed back; a reversed payment
                // after refunds can leave something owed again (the refund really went out).
                match row.balance.cmp(&Decimal::ZERO) {
                    std::cmp::Ordering::Equal => prop_assert_eq!(row.status.as_str(), "void"),
                    std::cmp::Ordering::Less => prop_assert_eq!(row.status.as_str(), "refund_due"),
                    std::cmp::Ordering::Greater => prop_assert!(
                        ["issued", "overdue", "partially_paid"].contains(&row.status.as_str()),
                        "{row:?}"
                    ),
                }
            }
        }
        // No subscription has two bills covering one month.
        let mut stmt = self
            .store
            .conn()
            .prepare("SELECT subscription_id, period, description FROM invoice_lines WHERE subscription_id IS NOT NULL")
            .unwrap();
        let lines: Vec<(i64, String, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let mut covered: HashMap<(i64, String), String> = HashMap::new();
        for (sub, period, description) in lines {
            let first = vardesk_core::billing::Period::parse(&period).unwrap();
            let months = if description.contains(" – ") { 12 } else { 1 };
            for m in 0..months {
                let month = first.plus_months(m).to_string();
                if let Some(earlier) = covered.insert((sub, month.clone()), period.clone()) {
                    prop_assert!(
                        false,
                        "subscription {sub}: {month} billed by {earlier} and {period}"
                    );
                }
            }
        }
        Ok(())
    }
}

fn fail(e: vardesk_core::CoreError) -> TestCaseError {
    TestCaseError::fail(e.message)
}

fn run(cases: u32, steps: usize, seed: u64) {
    let seed = std::env::var("PROPTEST_RNG_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(seed);
    let config = Config {
        cases,
        rng_seed: RngSeed::Fixed(seed),
        failure_persistence: None,
        max_shrink_iters: std::env::var("PROPTEST_MAX_SHRINK_ITERS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(2000),
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let result = runner.run(&prop::collection::vec(step(), steps), |steps| {
        let mut world = World::new();
        for (i, step) in steps.iter().enumerate() {
            world
                .apply(step)
                .map_err(|e| TestCaseError::fail(format!("step {i} {step:?}: {e}")))?;
            world
                .invariants()
                .map_err(|e| TestCaseError::fail(format!("after step {i} {step:?}: {e}")))?;
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("seed {seed}: {e}");
    }
}

#[test]
fn ten_thousand_steps_keep_the_books_straight() {
    let cases = std::env::var("LEDGER_MODEL_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100);
    run(cases, 100, 0x5eed_1ed6);
}

#[test]
#[ignore = "long: a nightly-style run"]
fn a_hundred_thousand_more_steps() {
    run(500, 200, 0x0dd_ba11);
}
