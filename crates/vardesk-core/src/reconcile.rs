//! The distributor's monthly bill against the subscriptions VarDesk bills (DOMAIN.md §10).
//!
//! The bill is read as a stream (up to 2,000,000 charge lines, CLARIFICATIONS), folded into
//! one group per Microsoft subscription as it is read, so memory follows the subscriptions,
//! not the lines. Each group is matched to a subscription by its Microsoft subscription id,
//! else by the customer's tenant (id or domain) and the product/SKU ids. Nothing is written:
//! each finding carries the fix the user may apply.
//!
//! How seats show on Partner Center's new-commerce reconciliation file
//! (learn.microsoft.com/partner-center/billing/recon-file-charge-types and the seat
//! examples of "common billing scenarios", checked 2026-11-28): `new`, `renew` and
//! `cycleCharge` charge the period's seats; a seat change is a pair of lines over the same
//! dates, a refund of the old count (negative) and a charge for the new count; a
//! cancellation only refunds. So the seats held at the end of the bill are the seats of the
//! positive lines starting last, and none when a refund starts after every charge.

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader, Read};

use chrono::NaiveDate;
use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::billing::{bill_line, Period, SubscriptionTerms};
use crate::error::CoreError;
use crate::mapping::{self, Choices, ImportKind, ImportSummary};
use crate::money::Currency;
use crate::nce::{self, Billing, Term};

/// The most charge lines one bill may have (CLARIFICATIONS: the import is streamed).
pub const MAX_BILL_ROWS: u64 = 2_000_000;

/// What the bill charges for one Microsoft subscription (or, without an id, one customer's
/// product/SKU), folded from its lines.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ChargeGroup {
    pub ms_subscription_id: String,
    pub tenant_id: String,
    pub tenant_domain: String,
    pub customer_name: String,
    pub product_id: String,
    pub sku_id: String,
    pub sku_name: String,
    pub currency: String,
    /// Everything the bill charges for it (refunds subtracted): the partner's cost.
    pub cost: Decimal,
    /// The seats held at the end of the bill (see the module's note).
    pub seats: Decimal,
    /// What the lines giving `seats` cost, and their unit price (per billing period).
    seats_cost: Decimal,
    pub unit_price: Option<Decimal>,
    pub billing: Option<Billing>,
    latest: Option<NaiveDate>,
    pub first_line: u64,
    pub lines: u32,
}

/// A bill as read: its groups, the month it bills, and what the preview says of the rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Bill {
    pub groups: Vec<ChargeGroup>,
    /// The month most charges start in; `None` when the bill has no charge dates.
    pub month: Option<Period>,
    pub summary: ImportSummary,
}

/// The header line of a bill (for choosing a saved mapping), read from its start.
pub fn bill_headers(input: impl Read) -> Result<Vec<String>, CoreError> {
    let (first, _) = first_line(input)?;
    Ok(split_header(&first))
}

/// Reads a bill with the user's column `choices` over the automatic mapping.
pub fn read_bill(input: impl Read, choices: &Choices) -> Result<Bill, CoreError> {
    let (first, rest) = first_line(input)?;
    let separator = crate::textfile::guess_separator(&first);
    let header = split_header(&first);
    let columns = mapping::choose(ImportKind::Reconciliation, &header, choices)?;
    // A mapping that cannot be read is shown with what is wrong, so it can be fixed.
    let has = |f: &str| columns.contains(&Some(f));
    let mapping_error = mapping::check(ImportKind::Reconciliation, &header, &columns)
        .err()
        .map(|e| e.message)
        .or_else(|| {
            (!has("ms_subscription_id")
                && !((has("tenant_id") || has("tenant_domain"))
                    && (has("product_id") || has("sku_id"))))
            .then(|| {
                "A bill needs the Microsoft subscription id, or the customer's tenant (id or \
                 domain) and the product or SKU id, to match its charges: map those columns."
                    .to_string()
            })
        });
    let col = |f: &str| columns.iter().position(|c| *c == Some(f));
    let at = Columns {
        ms_subscription_id: col("ms_subscription_id"),
        tenant_id: col("tenant_id"),
        tenant_domain: col("tenant_domain"),
        customer_name: col("customer_name"),
        product_id: col("product_id"),
        sku_id: col("sku_id"),
        sku_name: col("sku_name"),
        unit_price: col("unit_price"),
        quantity: col("quantity"),
        subtotal: col("subtotal"),
        currency: col("currency"),
        charge_start: col("charge_start"),
        billing_frequency: col("billing_frequency"),
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator)
        .has_headers(false)
        .flexible(true)
        // Lines counted at \n (a CR before it is trimmed with the cell), so errors name
        // the physical line.
        .terminator(csv::Terminator::Any(b'\n'))
        .from_reader(rest);
    let mut summary = ImportSummary {
        mapping: header
            .iter()
            .zip(&columns)
            .map(|(h, m)| mapping::MappedColumn {
                header: h.trim().to_string(),
                field: *m,
                sample: String::new(),
            })
            .collect(),
        ignored_columns: header
            .iter()
            .zip(&columns)
            .filter(|(h, m)| m.is_none() && !h.trim().is_empty())
            .map(|(h, _)| h.trim().to_string())
            .collect(),
        mapping_error,
        ..Default::default()
    };
    let mut groups: Vec<ChargeGroup> = Vec::new();
    let mut index: HashMap<GroupKey, usize> = HashMap::new();
    let mut months: BTreeMap<Period, u64> = BTreeMap::new();
    let mut record = csv::StringRecord::new();
    let (mut rows, mut valid) = (0u64, 0usize);
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                return Err(CoreError::validation(
                    "file",
                    format!("The bill cannot be read as CSV: {e}."),
                ))
            }
        }
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        rows += 1;
        if rows == 1 {
            // The preview shows what each column holds.
            for (shown, cell) in summary.mapping.iter_mut().zip(record.iter()) {
                shown.sample = cell.trim().chars().take(60).collect();
            }
            if summary.mapping_error.is_some() {
                break;
            }
        }
        if rows > MAX_BILL_ROWS {
            return Err(CoreError::validation(
                "file",
                "The bill has more than 2,000,000 charge lines; split it by customer and \
                 reconcile the parts.",
            ));
        }
        // The header is line 1; a record's position is the line it starts on.
        let line = record.position().map_or(rows + 1, |p| p.line() + 1);
        match read_charge(&record, &at) {
            Ok(charge) => {
                valid += 1;
                if let Some(d) = charge.start {
                    *months.entry(Period::of(d)).or_default() += 1;
                }
                let key = charge.key();
                let slot = *index.entry(key).or_insert_with(|| {
                    groups.push(ChargeGroup {
                        first_line: line,
                        ..ChargeGroup::default()
                    });
                    groups.len() - 1
                });
                groups[slot].add(charge);
            }
            Err((field, reason)) => summary.fail(line, field, reason),
        }
    }
    summary.rows = u32::try_from(rows).unwrap_or(u32::MAX);
    summary.finish(valid);
    let month = months
        .iter()
        .max_by_key(|(p, n)| (**n, **p))
        .map(|(p, _)| *p);
    Ok(Bill {
        groups,
        month,
        summary,
    })
}

struct Columns {
    ms_subscription_id: Option<usize>,
    tenant_id: Option<usize>,
    tenant_domain: Option<usize>,
    customer_name: Option<usize>,
    product_id: Option<usize>,
    sku_id: Option<usize>,
    sku_name: Option<usize>,
    unit_price: Option<usize>,
    quantity: Option<usize>,
    subtotal: Option<usize>,
    currency: Option<usize>,
    charge_start: Option<usize>,
    billing_frequency: Option<usize>,
}

/// One charge line, read.
struct Charge {
    ms_subscription_id: String,
    tenant_id: String,
    tenant_domain: String,
    customer_name: String,
    product_id: String,
    sku_id: String,
    sku_name: String,
    currency: String,
    unit_price: Option<Decimal>,
    quantity: Decimal,
    subtotal: Decimal,
    start: Option<NaiveDate>,
    billing: Option<Billing>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct GroupKey {
    ms_subscription_id: String,
    customer: String,
    product_id: String,
    sku_id: String,
}

impl Charge {
    fn key(&self) -> GroupKey {
        let customer = [&self.tenant_id, &self.tenant_domain, &self.customer_name]
            .into_iter()
            .find(|v| !v.is_empty())
            .cloned()
            .unwrap_or_default();
        GroupKey {
            ms_subscription_id: self.ms_subscription_id.clone(),
            customer: crate::search::fold(&customer),
            product_id: self.product_id.clone(),
            sku_id: self.sku_id.clone(),
        }
    }
}

fn read_charge(record: &csv::StringRecord, at: &Columns) -> Result<Charge, (&'static str, String)> {
    let cell = |i: Option<usize>| {
        i.and_then(|i| record.get(i))
            .map(|v| crate::textfile::csv_text_value(v.trim()).trim().to_string())
            .unwrap_or_default()
    };
    let currency = cell(at.currency).to_ascii_uppercase();
    let number =
        |field: &'static str, text: String| -> Result<Option<Decimal>, (&'static str, String)> {
            if text.is_empty() {
                return Ok(None);
            }
            crate::money::parse_decimal(field, &text)
                .ok()
                .or_else(|| crate::open_invoices::read_number(&text, &currency))
                .filter(|n| crate::bounds::amount_in_range(*n))
                .map(Some)
                .ok_or((field, format!("\"{text}\" is not a number.")))
        };
    let quantity = number("quantity", cell(at.quantity))?
        .ok_or(("quantity", "The seats (quantity) are missing.".to_string()))?;
    let unit_price = number("unit_price", cell(at.unit_price))?;
    let subtotal = match number("subtotal", cell(at.subtotal))? {
        Some(s) => s,
        None => quantity * unit_price.unwrap_or_default(),
    };
    let start_text = cell(at.charge_start);
    let start = if start_text.is_empty() {
        None
    } else {
        // Partner Center writes 9/1/2020 (month first); a distributor may write 01.09.2020.
        let month_first = !start_text.contains('.');
        Some(
            crate::open_invoices::read_date(&start_text, month_first)
                .or_else(|| crate::open_invoices::read_date(&start_text, !month_first))
                .ok_or(("charge_start", format!("\"{start_text}\" is not a date.")))?,
        )
    };
    let billing = match cell(at.billing_frequency).to_ascii_lowercase().as_str() {
        "monthly" | "month" => Some(Billing::Monthly),
        "annual" | "yearly" | "annually" | "year" => Some(Billing::Annual),
        "triennial" | "upfront" | "onetime" => Some(Billing::Upfront),
        _ => None,
    };
    let tenant_text = cell(at.tenant_id);
    Ok(Charge {
        ms_subscription_id: {
            let text = cell(at.ms_subscription_id);
            nce::guid(&text).unwrap_or(text)
        },
        // A distributor's own customer number in a "Customer ID" column is no tenant.
        tenant_id: nce::guid(&tenant_text).unwrap_or_default(),
        tenant_domain: cell(at.tenant_domain).to_ascii_lowercase(),
        customer_name: cell(at.customer_name),
        product_id: nce::catalog_id(&cell(at.product_id)).unwrap_or_default(),
        sku_id: nce::catalog_id(&cell(at.sku_id)).unwrap_or_default(),
        sku_name: cell(at.sku_name),
        currency,
        unit_price,
        quantity,
        subtotal,
        start,
        billing,
    })
}

impl ChargeGroup {
    fn add(&mut self, c: Charge) {
        if self.lines == 0 {
            self.ms_subscription_id = c.ms_subscription_id;
            self.tenant_id = c.tenant_id;
            self.tenant_domain = c.tenant_domain;
            self.customer_name = c.customer_name;
            self.product_id = c.product_id;
            self.sku_id = c.sku_id;
            self.currency = c.currency;
        }
        if self.sku_name.is_empty() {
            self.sku_name = c.sku_name;
        }
        self.lines += 1;
        self.cost += c.subtotal;
        let refund = c.subtotal < Decimal::ZERO || c.quantity < Decimal::ZERO;
        let start = c.start.unwrap_or(NaiveDate::MIN);
        let later = self.latest.is_none_or(|l| start > l);
        if later {
            self.latest = Some(start);
            self.seats = Decimal::ZERO;
            self.seats_cost = Decimal::ZERO;
        }
        if !refund && (later || self.latest == Some(start)) {
            self.seats += c.quantity;
            self.seats_cost += c.subtotal;
            if c.unit_price.is_some() {
                self.unit_price = c.unit_price;
            }
            if c.billing.is_some() {
                self.billing = c.billing;
            }
        }
    }

    /// What one seat costs on this bill (the lines giving the seats, per seat).
    fn seat_cost(&self) -> Decimal {
        if self.seats.is_zero() {
            self.unit_price.unwrap_or_default()
        } else {
            self.seats_cost / self.seats
        }
    }
}

/// A customer as matching needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct BillCustomer {
    pub id: i64,
    pub name: String,
    pub tenant_id: String,
    pub tenant_domain: String,
}

/// A subscription as matching needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct BillSubscription {
    pub id: i64,
    pub customer_id: i64,
    pub description: String,
    pub currency: Currency,
    pub terms: SubscriptionTerms,
    /// Per the customer's interval, like the price.
    pub unit_cost: Decimal,
    pub ms_subscription_id: String,
    pub ms_product_id: String,
    pub ms_sku_id: String,
    /// A licence's term, billing frequency and stored term (start, end).
    pub licence: Option<(Term, Billing, NaiveDate, NaiveDate)>,
}

impl BillSubscription {
    fn active_in(&self, month: Period) -> bool {
        self.terms.start_date <= month.last_day()
            && self.terms.end_date.is_none_or(|e| e >= month.first_day())
    }

    /// Whether the bill for `month` should charge it: a licence active then, and — billed
    /// annually or upfront — only in its purchase or renewal month (CLI.md).
    fn expected_in(&self, month: Period) -> bool {
        let Some((term, billing, start, end)) = self.licence else {
            return false;
        };
        if !self.active_in(month) {
            return false;
        }
        // The stored term may already be a later one (renewed ahead of the bill's month):
        // the charge months repeat every billing period either way.
        let (term_start, _) = nce::current_term(start, end, term, month.first_day());
        let since = month.months_since(Period::of(term_start));
        since.rem_euclid(i64::from(billing.months(term))) == 0
    }

    /// The seats VarDesk bills in `month` (none once ended).
    fn seats_in(&self, month: Period) -> Decimal {
        if self.active_in(month) {
            self.terms.quantity
        } else {
            Decimal::ZERO
        }
    }

    fn billing_months(&self) -> u32 {
        match self.licence {
            Some((term, billing, ..)) => billing.months(term),
            None => interval_months(self),
        }
    }
}

fn interval_months(s: &BillSubscription) -> u32 {
    s.terms.interval.months()
}

/// What a finding is about (CLI.md's `kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// The bill charges more seats than VarDesk bills: margin lost every month.
    UnbilledSeats,
    /// VarDesk bills seats the bill does not charge.
    BilledNotBought,
    /// The bill's unit cost is not the subscription's.
    CostDiffers,
    /// A charge no subscription matches.
    UnmatchedCharge,
}

/// The fix a finding offers, applied in one transaction when the user chooses it.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, specta::Type)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Fix {
    /// Bill this many seats from the next unbilled period.
    SetQuantity {
        subscription_id: i64,
        #[serde(with = "crate::money::serde_str")]
        #[specta(type = String)]
        quantity: Decimal,
    },
    /// End the subscription after its last billed period (the bill charges none of it).
    End { subscription_id: i64 },
    /// Record the bill's cost (per the subscription's interval).
    SetCost {
        subscription_id: i64,
        #[serde(with = "crate::money::serde_str")]
        #[specta(type = String)]
        unit_cost: Decimal,
    },
    /// Add a licence subscription for the charge (the customer is known).
    AddSubscription {
        customer_id: i64,
        ms_subscription_id: String,
        product_id: String,
        sku_id: String,
        sku_name: String,
        #[serde(with = "crate::money::serde_str")]
        #[specta(type = String)]
        quantity: Decimal,
        /// The bill's cost per seat and month.
        #[serde(with = "crate::money::serde_str")]
        #[specta(type = String)]
        monthly_cost: Decimal,
    },
}

/// One thing the bill and VarDesk disagree on.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct Finding {
    pub kind: FindingKind,
    pub customer_id: Option<i64>,
    /// The customer's name in VarDesk, else as the bill names it.
    pub customer: String,
    pub subscription_id: Option<i64>,
    pub ms_subscription_id: String,
    /// The SKU as Partner Center keys it (`product:sku`), else its name.
    pub sku: String,
    pub description: String,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub quantity: Decimal,
    /// `unbilled_seats`: what the seats cost on this bill; `billed_not_bought`: what
    /// VarDesk bills for them; `cost_differs`: the bill's unit cost; `unmatched_charge`:
    /// what the bill charges.
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub amount: Decimal,
    pub currency: String,
    /// The first line of the bill behind it (none for `billed_not_bought` of a whole
    /// subscription).
    pub line: Option<u64>,
    pub fix: Option<Fix>,
}

/// One customer's month: what VarDesk bills for its licences, what the bill costs.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct CustomerMargin {
    pub customer_id: i64,
    pub customer: String,
    pub currency: String,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub billed: Decimal,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub cost: Decimal,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub margin: Decimal,
}

/// The reconciliation of one bill.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct Reconciliation {
    pub period: String,
    pub findings: Vec<Finding>,
    pub customers: Vec<CustomerMargin>,
    /// Per currency: billed, cost and margin of every customer listed.
    pub totals: Vec<CustomerMargin>,
    /// Charges matched to a subscription, of all charge groups.
    pub matched: usize,
    pub groups: usize,
    pub summary: ImportSummary,
}

/// Matches the bill's groups to the subscriptions and lists what differs. `month` is the
/// bill's (the month most charges start in, else `fallback`).
pub fn reconcile(
    bill: &Bill,
    customers: &[BillCustomer],
    subs: &[BillSubscription],
    fallback: Period,
) -> Reconciliation {
    let month = bill.month.unwrap_or(fallback);
    let by_tenant: HashMap<&str, &BillCustomer> = customers
        .iter()
        .filter(|c| !c.tenant_id.is_empty())
        .map(|c| (c.tenant_id.as_str(), c))
        .collect();
    let by_domain: HashMap<String, &BillCustomer> = customers
        .iter()
        .filter(|c| !c.tenant_domain.is_empty())
        .map(|c| (c.tenant_domain.to_ascii_lowercase(), c))
        .collect();
    let customer_of: HashMap<i64, &BillCustomer> = customers.iter().map(|c| (c.id, c)).collect();
    let by_ms_id: HashMap<&str, usize> = subs
        .iter()
        .enumerate()
        .filter(|(_, s)| !s.ms_subscription_id.is_empty())
        .map(|(i, s)| (s.ms_subscription_id.as_str(), i))
        .collect();
    let mut by_product: HashMap<(i64, &str), Vec<usize>> = HashMap::new();
    for (i, s) in subs.iter().enumerate() {
        if !s.ms_product_id.is_empty() {
            by_product
                .entry((s.customer_id, s.ms_product_id.as_str()))
                .or_default()
                .push(i);
        }
    }

    let mut matched: BTreeMap<usize, Vec<&ChargeGroup>> = BTreeMap::new();
    let mut unmatched: Vec<(&ChargeGroup, Option<&BillCustomer>)> = Vec::new();
    for g in &bill.groups {
        if let Some(&i) = by_ms_id.get(g.ms_subscription_id.as_str()) {
            matched.entry(i).or_default().push(g);
            continue;
        }
        let customer = by_tenant
            .get(g.tenant_id.as_str())
            .or_else(|| by_domain.get(&g.tenant_domain))
            .copied();
        let sub = customer.and_then(|c| {
            by_product
                .get(&(c.id, g.product_id.as_str()))?
                .iter()
                .copied()
                .filter(|&i| {
                    let s = &subs[i];
                    // A subscription known under another Microsoft id is another one.
                    (s.ms_subscription_id.is_empty() || g.ms_subscription_id.is_empty())
                        && (s.ms_sku_id.is_empty()
                            || g.sku_id.is_empty()
                            || s.ms_sku_id == g.sku_id)
                })
                .min_by_key(|&i| (!subs[i].active_in(month), subs[i].id))
        });
        match sub {
            Some(i) => matched.entry(i).or_default().push(g),
            None => unmatched.push((g, customer)),
        }
    }

    let mut findings = Vec::new();
    let mut cost_by_customer: BTreeMap<i64, Decimal> = BTreeMap::new();
    let name_of = |id: i64| {
        customer_of
            .get(&id)
            .map(|c| c.name.clone())
            .unwrap_or_default()
    };
    for (&i, groups) in &matched {
        let s = &subs[i];
        let bill_seats: Decimal = groups.iter().map(|g| g.seats).sum();
        let cost: Decimal = groups.iter().map(|g| g.cost).sum();
        *cost_by_customer.entry(s.customer_id).or_default() += cost;
        let first = groups[0];
        let ours = s.seats_in(month);
        let base = |kind, quantity, amount: Decimal, fix| Finding {
            kind,
            customer_id: Some(s.customer_id),
            customer: name_of(s.customer_id),
            subscription_id: Some(s.id),
            ms_subscription_id: first.ms_subscription_id.clone(),
            sku: sku_key(&s.ms_product_id, &s.ms_sku_id, &first.sku_name),
            description: s.description.clone(),
            quantity,
            amount,
            currency: first.currency.clone(),
            line: Some(first.first_line),
            fix,
        };
        let per_seat = groups
            .iter()
            .max_by_key(|g| g.seats)
            .map_or(Decimal::ZERO, |g| g.seat_cost());
        let bill_currency = Currency::parse(&first.currency).unwrap_or(s.currency);
        if bill_seats > ours {
            let diff = bill_seats - ours;
            findings.push(base(
                FindingKind::UnbilledSeats,
                diff,
                bill_currency.round(diff * per_seat),
                Some(Fix::SetQuantity {
                    subscription_id: s.id,
                    quantity: bill_seats,
                }),
            ));
        } else if bill_seats < ours {
            let diff = ours - bill_seats;
            let fix = if bill_seats.is_zero() {
                Fix::End {
                    subscription_id: s.id,
                }
            } else {
                Fix::SetQuantity {
                    subscription_id: s.id,
                    quantity: bill_seats,
                }
            };
            findings.push(Finding {
                currency: s.currency.code().to_string(),
                ..base(
                    FindingKind::BilledNotBought,
                    diff,
                    seat_charge(s, diff),
                    Some(fix),
                )
            });
        }
        // The unit cost compared in the bill's billing period, rounded to the cent.
        if let Some(unit) = groups.iter().find_map(|g| g.unit_price) {
            let bill_months = first
                .billing
                .map_or(s.billing_months(), |b| match s.licence {
                    Some((term, ..)) => b.months(term),
                    None => b.months(Term::P1Y),
                });
            let ours_per_bill =
                s.unit_cost * Decimal::from(bill_months) / Decimal::from(interval_months(s));
            let same_currency = first.currency.is_empty() || first.currency == s.currency.code();
            if same_currency && s.currency.round(ours_per_bill) != s.currency.round(unit) {
                let new_cost =
                    unit * Decimal::from(interval_months(s)) / Decimal::from(bill_months);
                findings.push(base(
                    FindingKind::CostDiffers,
                    bill_seats,
                    unit,
                    Some(Fix::SetCost {
                        subscription_id: s.id,
                        unit_cost: crate::money::round_dp(new_cost, 4),
                    }),
                ));
            }
        }
    }
    for (i, s) in subs.iter().enumerate() {
        if matched.contains_key(&i) || !s.expected_in(month) {
            continue;
        }
        let seats = s.seats_in(month);
        if seats.is_zero() {
            continue;
        }
        findings.push(Finding {
            kind: FindingKind::BilledNotBought,
            customer_id: Some(s.customer_id),
            customer: name_of(s.customer_id),
            subscription_id: Some(s.id),
            ms_subscription_id: s.ms_subscription_id.clone(),
            sku: sku_key(&s.ms_product_id, &s.ms_sku_id, &s.description),
            description: s.description.clone(),
            quantity: seats,
            amount: seat_charge(s, seats),
            currency: s.currency.code().to_string(),
            line: None,
            fix: Some(Fix::End {
                subscription_id: s.id,
            }),
        });
    }
    for (g, customer) in &unmatched {
        if let Some(c) = customer {
            *cost_by_customer.entry(c.id).or_default() += g.cost;
        }
        let months = g.billing.map_or(1, |b| b.months(Term::P1Y));
        findings.push(Finding {
            kind: FindingKind::UnmatchedCharge,
            customer_id: customer.map(|c| c.id),
            customer: customer.map_or_else(|| bill_customer_name(g), |c| c.name.clone()),
            subscription_id: None,
            ms_subscription_id: g.ms_subscription_id.clone(),
            sku: sku_key(&g.product_id, &g.sku_id, &g.sku_name),
            description: g.sku_name.clone(),
            quantity: g.seats,
            amount: g.cost,
            currency: g.currency.clone(),
            line: Some(g.first_line),
            fix: customer
                .filter(|_| !g.seats.is_zero())
                .map(|c| Fix::AddSubscription {
                    customer_id: c.id,
                    ms_subscription_id: g.ms_subscription_id.clone(),
                    product_id: g.product_id.clone(),
                    sku_id: g.sku_id.clone(),
                    sku_name: g.sku_name.clone(),
                    quantity: g.seats,
                    monthly_cost: crate::money::round_dp(
                        g.unit_price.unwrap_or_else(|| g.seat_cost()) / Decimal::from(months),
                        4,
                    ),
                }),
        });
    }
    findings.sort_by(|a, b| {
        (
            a.customer_id.is_none(),
            &a.customer,
            a.kind,
            a.subscription_id,
            a.line,
        )
            .cmp(&(
                b.customer_id.is_none(),
                &b.customer,
                b.kind,
                b.subscription_id,
                b.line,
            ))
    });

    // The month's margin: VarDesk's charge for each licence of a customer on the bill.
    let mut billed: BTreeMap<i64, Decimal> = BTreeMap::new();
    for (i, s) in subs.iter().enumerate() {
        if !(matched.contains_key(&i) || s.expected_in(month)) {
            continue;
        }
        let charge = bill_line(&s.terms, month, s.currency)
            .ok()
            .and_then(|l| l.amount)
            .unwrap_or_default();
        *billed.entry(s.customer_id).or_default() += charge;
    }
    let currency_of: HashMap<i64, Currency> =
        subs.iter().map(|s| (s.customer_id, s.currency)).collect();
    let mut ids: Vec<i64> = billed
        .keys()
        .chain(cost_by_customer.keys())
        .copied()
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let mut margins: Vec<CustomerMargin> = ids
        .into_iter()
        .map(|id| {
            let currency = currency_of.get(&id).copied().unwrap_or(Currency::EUR);
            let billed = billed.get(&id).copied().unwrap_or_default();
            let cost = currency.round(cost_by_customer.get(&id).copied().unwrap_or_default());
            CustomerMargin {
                customer_id: id,
                customer: name_of(id),
                currency: currency.code().to_string(),
                billed,
                cost,
                margin: billed - cost,
            }
        })
        .collect();
    margins.sort_by_key(|m| crate::search::fold(&m.customer));
    let mut totals: BTreeMap<String, CustomerMargin> = BTreeMap::new();
    for m in &margins {
        let t = totals
            .entry(m.currency.clone())
            .or_insert_with(|| CustomerMargin {
                customer_id: 0,
                customer: String::new(),
                currency: m.currency.clone(),
                billed: Decimal::ZERO,
                cost: Decimal::ZERO,
                margin: Decimal::ZERO,
            });
        t.billed += m.billed;
        t.cost += m.cost;
        t.margin += m.margin;
    }
    Reconciliation {
        period: month.to_string(),
        matched: matched.values().map(Vec::len).sum(),
        groups: bill.groups.len(),
        findings,
        customers: margins,
        totals: totals.into_values().collect(),
        summary: bill.summary.clone(),
    }
}

/// The reconciliation as CSV (UTF-8 with a BOM, CRLF): one row per finding, then one per
/// customer's margin and the totals, `.` as the decimal mark; names protected as text.
pub fn report_csv(r: &Reconciliation) -> Vec<u8> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        let text = crate::textfile::csv_text_cell;
        let _ = w.write_record([
            "period",
            "kind",
            "customer_id",
            "customer",
            "subscription_id",
            "ms_subscription_id",
            "sku",
            "description",
            "quantity",
            "amount",
            "currency",
            "bill_line",
            "billed",
            "cost",
            "margin",
        ]);
        for f in &r.findings {
            let kind = serde_json::to_value(f.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            let _ = w.write_record([
                r.period.clone(),
                kind,
                f.customer_id.map(|i| i.to_string()).unwrap_or_default(),
                text(&f.customer),
                f.subscription_id.map(|i| i.to_string()).unwrap_or_default(),
                text(&f.ms_subscription_id),
                text(&f.sku),
                text(&f.description),
                f.quantity.normalize().to_string(),
                f.amount.to_string(),
                f.currency.clone(),
                f.line.map(|l| l.to_string()).unwrap_or_default(),
                String::new(),
                String::new(),
                String::new(),
            ]);
        }
        for (kind, m) in r
            .customers
            .iter()
            .map(|m| ("margin", m))
            .chain(r.totals.iter().map(|m| ("total", m)))
        {
            let _ = w.write_record([
                r.period.clone(),
                kind.to_string(),
                if m.customer_id > 0 {
                    m.customer_id.to_string()
                } else {
                    String::new()
                },
                text(&m.customer),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                m.currency.clone(),
                String::new(),
                m.billed.to_string(),
                m.cost.to_string(),
                m.margin.to_string(),
            ]);
        }
        let _ = w.flush();
    }
    out
}

/// What VarDesk bills for `seats` of a subscription per its interval, after its discount.
fn seat_charge(s: &BillSubscription, seats: Decimal) -> Decimal {
    let discount = s.terms.discount_percent.unwrap_or_default();
    s.currency
        .round(seats * s.terms.unit_price * (Decimal::ONE - discount / Decimal::ONE_HUNDRED))
}

fn sku_key(product: &str, sku: &str, name: &str) -> String {
    match (product.is_empty(), sku.is_empty()) {
        (false, false) => format!("{product}:{sku}"),
        (false, true) => product.to_string(),
        _ => name.to_string(),
    }
}

fn bill_customer_name(g: &ChargeGroup) -> String {
    [&g.customer_name, &g.tenant_domain, &g.tenant_id]
        .into_iter()
        .find(|v| !v.is_empty())
        .cloned()
        .unwrap_or_default()
}

fn split_header(line: &str) -> Vec<String> {
    let separator = crate::textfile::guess_separator(line);
    csv::ReaderBuilder::new()
        .delimiter(separator)
        .has_headers(false)
        .from_reader(line.as_bytes())
        .records()
        .next()
        .and_then(Result::ok)
        .map(|r| r.iter().map(|h| h.trim().to_string()).collect())
        .unwrap_or_default()
}

/// The bill's first line (decoded) and a reader of the rest, decoding as [`Decoding`] does.
fn first_line<R: Read>(input: R) -> Result<(String, BufReader<Decoding<R>>), CoreError> {
    let mut reader = BufReader::with_capacity(1 << 16, Decoding::new(input)?);
    let mut first = String::new();
    reader.read_line(&mut first).map_err(read_error)?;
    if first.trim().is_empty() {
        return Err(CoreError::validation("file", "The bill is empty."));
    }
    Ok((first, reader))
}

fn read_error(e: std::io::Error) -> CoreError {
    CoreError::validation("file", format!("The bill cannot be read: {e}."))
}

/// A reader that decodes as §8 reads text files — UTF-8 or UTF-16 by BOM, else UTF-8, else
/// Windows-1252 when the first 64 KiB are not UTF-8 — and yields UTF-8, so a bill of any
/// size streams.
pub struct Decoding<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    input: Vec<u8>,
    input_at: usize,
    input_len: usize,
    output: Vec<u8>,
    output_at: usize,
    output_len: usize,
    eof: bool,
    finished: bool,
}

impl<R: Read> Decoding<R> {
    fn new(mut inner: R) -> Result<Decoding<R>, CoreError> {
        let mut head = vec![0u8; 1 << 16];
        let mut len = 0;
        while len < head.len() {
            let n = inner.read(&mut head[len..]).map_err(read_error)?;
            if n == 0 {
                break;
            }
            len += n;
        }
        let (encoding, skip) = match Encoding::for_bom(&head[..len]) {
            Some((e, bom)) => (e, bom),
            None => match std::str::from_utf8(&head[..len]) {
                Ok(_) => (UTF_8, 0),
                // A character cut at the end of the sample is still UTF-8.
                Err(e) if e.error_len().is_none() => (UTF_8, 0),
                Err(_) => (WINDOWS_1252, 0),
            },
        };
        Ok(Decoding {
            inner,
            decoder: encoding.new_decoder_without_bom_handling(),
            input: head,
            input_at: skip,
            input_len: len,
            output: vec![0u8; 1 << 16],
            output_at: 0,
            output_len: 0,
            eof: false,
            finished: false,
        })
    }
}

impl<R: Read> Read for Decoding<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            if self.output_at < self.output_len {
                let n = buf.len().min(self.output_len - self.output_at);
                buf[..n].copy_from_slice(&self.output[self.output_at..self.output_at + n]);
                self.output_at += n;
                return Ok(n);
            }
            if self.finished {
                return Ok(0);
            }
            if self.input_at == self.input_len && !self.eof {
                let n = self.inner.read(&mut self.input)?;
                self.input_len = n;
                self.input_at = 0;
                self.eof = n == 0;
            }
            let (result, read, written, _) = self.decoder.decode_to_utf8(
                &self.input[self.input_at..self.input_len],
                &mut self.output,
                self.eof,
            );
            self.input_at += read;
            self.output_at = 0;
            self.output_len = written;
            self.finished = self.eof
                && result == encoding_rs::CoderResult::InputEmpty
                && self.input_at == self.input_len;
        }
    }
}

#[cfg(test)]
mod tests;
