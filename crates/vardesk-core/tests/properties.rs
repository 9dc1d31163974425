//! Property tests of the engine against DOMAIN.md: rounding (§1), document and quote
//! totals (§2, §3), the projection (§7), numbering (§6), customer CSV (§8) and the
//! parsers' robustness on arbitrary input.
//!
//! Every oracle here is computed independently of the engine's own code path (different
//! formula order, exact integer arithmetic, or plain re-parsing), so each property can fail.
//! The plain tests near the end pin engine bugs these properties once found (annuity
//! midpoints, overflow panics), so they stay fixed.

use std::collections::{BTreeMap, HashSet};

use chrono::{Datelike, NaiveDate};
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::Config;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use vardesk_core::calc;
use vardesk_core::customer::{
    export_customer_csv, name_key, parse_customer_csv, CustomerData, CustomerDefaults, CustomerForm,
};
use vardesk_core::inventory::parse_inventory;
use vardesk_core::lines::{doc_totals, quote_totals, Line, LineKind, QuoteTerms};
use vardesk_core::money::{parse_decimal, parse_user_decimal};
use vardesk_core::numbering::format_number;
use vardesk_core::projection::{project, ProjectionInput, TermedStart};
use vardesk_core::{round_dp, Currency};

/// These ops read no file.
fn no_files(path: &str) -> Result<Vec<u8>, String> {
    Err(format!("{path}: no file is read here"))
}

/// Modest case counts (the whole file runs in a few seconds in debug) and no regression
/// files written into the source tree.
fn config(cases: u32) -> Config {
    Config {
        failure_persistence: None,
        ..Config::with_cases(cases)
    }
}

fn currency(code: &str) -> Currency {
    Currency::parse(code).unwrap()
}

fn currencies() -> impl Strategy<Value = Currency> {
    select(vec!["EUR", "JPY", "BHD"]).prop_map(currency)
}

fn pow10(n: u32) -> i64 {
    10i64.pow(n)
}

/// `10^-dp`, the smallest step of a currency with `dp` minor units.
fn minor_unit(dp: u32) -> Decimal {
    Decimal::new(1, dp)
}

/// A decimal written as mantissa and scale, so that the same value can be written with
/// extra trailing zeros (`pad`): `11.7` with pad 3 is `11.7000`.
#[derive(Debug, Clone, Copy)]
struct Num {
    mantissa: i64,
    scale: u32,
}

impl Num {
    fn value(self) -> Decimal {
        self.padded(0)
    }
    fn padded(self, pad: u32) -> Decimal {
        Decimal::from_i128_with_scale(
            i128::from(self.mantissa) * 10i128.pow(pad),
            self.scale + pad,
        )
    }
}

/// A non-negative decimal below `max_units` whole units with up to `max_scale` decimals.
fn num(max_units: i64, max_scale: u32) -> impl Strategy<Value = Num> {
    (0..=max_scale).prop_flat_map(move |scale| {
        (0..=max_units * pow10(scale)).prop_map(move |mantissa| Num { mantissa, scale })
    })
}

/// A percentage 0–100 with up to 2 decimals.
fn percent() -> impl Strategy<Value = Num> {
    num(100, 2)
}

/// Tax rates: mostly common ones (so that lines share rates, also written differently:
/// `19` and `19.0`), sometimes any percentage.
fn tax_rate() -> impl Strategy<Value = Num> {
    let common = [
        (0, 0),
        (5, 0),
        (55, 1),
        (7, 0),
        (77, 1),
        (81, 1),
        (10, 0),
        (19, 0),
        (190, 1),
    ];
    let common: Vec<Num> = common
        .iter()
        .map(|&(mantissa, scale)| Num { mantissa, scale })
        .collect();
    prop_oneof![3 => select(common), 1 => percent()]
}

#[derive(Debug, Clone, Copy)]
struct LineSpec {
    quantity: Num,
    unit_price: Num,
    unit_cost: Option<Num>,
    discount: Option<Num>,
    rate: Option<Num>,
    kind: LineKind,
}

/// Trailing zeros to append to each of a line's five numbers.
type Pads = [u32; 5];

impl LineSpec {
    fn line(&self, pads: Pads) -> Line {
        Line {
            description: "x".into(),
            quantity: self.quantity.padded(pads[0]),
            unit: "hour".into(),
            unit_price: self.unit_price.padded(pads[1]),
            unit_cost: self.unit_cost.map(|n| n.padded(pads[2])),
            discount_percent: self.discount.map(|n| n.padded(pads[3])),
            tax_rate_percent: self.rate.map(|n| n.padded(pads[4])),
            kind: self.kind,
            goods: false,
            tax_category: None,
        }
    }
}

fn line_kind() -> impl Strategy<Value = LineKind> {
    select(vec![LineKind::OneTime, LineKind::Monthly, LineKind::Annual])
}

fn line_spec() -> impl Strategy<Value = LineSpec> {
    (
        num(100_000, 3),
        num(1_000_000, 4),
        proptest::option::of(num(1_000_000, 4)),
        proptest::option::of(percent()),
        proptest::option::of(tax_rate()),
        line_kind(),
    )
        .prop_map(
            |(quantity, unit_price, unit_cost, discount, rate, kind)| LineSpec {
                quantity,
                unit_price,
                unit_cost,
                discount,
                rate,
                kind,
            },
        )
}

fn line_specs() -> impl Strategy<Value = Vec<LineSpec>> {
    prop::collection::vec(line_spec(), 0..12)
}

fn lines_of(specs: &[LineSpec]) -> Vec<Line> {
    specs.iter().map(|s| s.line([0; 5])).collect()
}

/// `round(quantity × unit_price × (100 − discount) / 100)`: §2's line_net, written in a
/// different order than the engine's `quantity × unit_price × (1 − discount/100)`.
fn expected_net(line: &Line, c: Currency) -> Decimal {
    let discount = line.discount_percent.unwrap_or_default();
    round_dp(
        line.quantity * line.unit_price * (Decimal::ONE_HUNDRED - discount) / Decimal::ONE_HUNDRED,
        c.minor_units(),
    )
}

fn expected_cost(line: &Line, c: Currency) -> Decimal {
    round_dp(
        line.quantity * line.unit_cost.unwrap_or_default(),
        c.minor_units(),
    )
}

// ---------------------------------------------------------------------------------------
// 1. Rounding (§1)
// ---------------------------------------------------------------------------------------

/// Any decimal: up to 28 digits, scale 0–28.
fn any_decimal() -> impl Strategy<Value = Decimal> {
    let limit = 10i128.pow(27);
    (-limit..=limit, 0u32..=28)
        .prop_map(|(mantissa, scale)| Decimal::from_i128_with_scale(mantissa, scale))
}

/// Decimals that sit exactly on a midpoint of some currency (…5 in the first dropped place).
fn midpoint_decimal() -> impl Strategy<Value = Decimal> {
    (-10i64.pow(15)..=10i64.pow(15), 0u32..=3)
        .prop_map(|(whole, dp)| Decimal::new(whole * 10 + 5, dp + 1))
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn rounding_follows_the_one_rule(
        x in prop_oneof![any_decimal(), midpoint_decimal()],
        c in currencies(),
    ) {
        let dp = c.minor_units();
        let r = c.round(x);
        prop_assert_eq!(r, round_dp(x, dp), "Currency::round and round_dp differ");
        // Idempotent.
        prop_assert_eq!(c.round(r), r);
        // At most minor_units decimals, as a value and as written.
        prop_assert!(r.normalize().scale() <= dp, "{} has more than {} decimals", r, dp);
        prop_assert!(r.scale() <= dp, "{} is written with more than {} decimals", r, dp);
        // Within half a minor unit.
        let half = minor_unit(dp) / Decimal::TWO;
        prop_assert!((r - x).abs() <= half, "round({}) = {} is more than {} away", x, r, half);
        // Symmetric: midpoints go away from zero on both sides.
        prop_assert_eq!(c.round(-x), -r);
        // A midpoint moves away from zero; anything else goes to the nearest.
        if (r - x).abs() == half {
            prop_assert!(r.abs() > x.abs(), "midpoint {} rounded towards zero to {}", x, r);
        }
        // Nothing on the grid is closer to x than r.
        let step = minor_unit(dp);
        prop_assert!((r + step - x).abs() >= (r - x).abs());
        prop_assert!((r - step - x).abs() >= (r - x).abs());
    }
}

// ---------------------------------------------------------------------------------------
// 2. doc_totals (§2)
// ---------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn doc_totals_follow_section_2(specs in line_specs(), c in currencies()) {
        let lines = lines_of(&specs);
        let t = doc_totals(&lines, c).unwrap();

        prop_assert_eq!(t.line_amounts.len(), lines.len());
        for (line, amount) in lines.iter().zip(&t.line_amounts) {
            prop_assert_eq!(*amount, expected_net(line, c), "line_net of {:?}", line);
        }

        // One row per distinct rate (by value: 19 = 19.0), a missing rate being 0.
        let mut bases: BTreeMap<Decimal, Decimal> = BTreeMap::new();
        for line in &lines {
            *bases.entry(line.tax_rate_percent.unwrap_or_default()).or_default() +=
                expected_net(line, c);
        }
        prop_assert_eq!(t.taxes.len(), bases.len(), "one tax row per distinct rate");
        for pair in t.taxes.windows(2) {
            prop_assert!(pair[0].rate_percent < pair[1].rate_percent, "rates not ascending");
        }
        for (row, (rate, base)) in t.taxes.iter().zip(&bases) {
            prop_assert_eq!(row.rate_percent, *rate);
            prop_assert_eq!(row.base, *base);
            prop_assert_eq!(row.tax, c.round(row.base * row.rate_percent / Decimal::ONE_HUNDRED));
        }

        let sum_of_bases: Decimal = t.taxes.iter().map(|r| r.base).sum();
        let sum_of_taxes: Decimal = t.taxes.iter().map(|r| r.tax).sum();
        let sum_of_lines: Decimal = t.line_amounts.iter().sum();
        prop_assert_eq!(sum_of_bases, t.subtotal);
        prop_assert_eq!(sum_of_lines, t.subtotal);
        prop_assert_eq!(sum_of_taxes, t.tax_total);
        prop_assert_eq!(t.total, t.subtotal + t.tax_total);
    }
}

// ---------------------------------------------------------------------------------------
// 3. Trailing zeros never change a figure
// ---------------------------------------------------------------------------------------

fn padded_lines() -> impl Strategy<Value = Vec<(LineSpec, Pads)>> {
    prop::collection::vec((line_spec(), prop::array::uniform5(0u32..=6)), 0..8)
}

fn quote_terms() -> impl Strategy<Value = (u32, u32, Num, u32)> {
    (1u32..=72, 1u32..=120, num(100, 2), 0u32..=6)
}

fn calc_input(c: Currency, lines: &[Line]) -> Value {
    json!({ "currency": c.code(), "lines": lines })
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn trailing_zeros_change_nothing(
        specs in padded_lines(),
        c in currencies(),
        (term, horizon, churn, churn_pad) in quote_terms(),
    ) {
        let plain: Vec<Line> = specs.iter().map(|(s, _)| s.line([0; 5])).collect();
        let padded: Vec<Line> = specs.iter().map(|(s, pads)| s.line(*pads)).collect();

        // Decimal equality is by value: 11.7 == 11.7000.
        prop_assert_eq!(doc_totals(&plain, c).unwrap(), doc_totals(&padded, c).unwrap());

        let terms = |pad| QuoteTerms {
            term_months: term,
            horizon_months: horizon,
            churn_percent: churn.padded(pad),
        };
        prop_assert_eq!(
            quote_totals(&plain, terms(0), c).unwrap(),
            quote_totals(&padded, terms(churn_pad), c).unwrap()
        );

        // Through `calc`, decimals travel as strings that keep their trailing zeros.
        let out = |lines: &[Line]| {
            serde_json::to_string(&calc::run("doc_totals", &calc_input(c, lines), &no_files).unwrap())
                .unwrap()
        };
        prop_assert_eq!(out(&plain), out(&padded));

        let quote = |lines: &[Line], pad| {
            let mut input = calc_input(c, lines);
            input["term_months"] = json!(term);
            input["horizon_months"] = json!(horizon);
            input["churn_percent"] = json!(churn.padded(pad).to_string());
            serde_json::to_string(&calc::run("quote_totals", &input, &no_files).unwrap()).unwrap()
        };
        prop_assert_eq!(quote(&plain, 0), quote(&padded, churn_pad));
    }
}

// ---------------------------------------------------------------------------------------
// 4. quote_totals (§3)
// ---------------------------------------------------------------------------------------

/// Nets of the three parts by the oracle's line_net.
fn part_nets(lines: &[Line], c: Currency) -> [Decimal; 3] {
    let net = |kind| {
        lines
            .iter()
            .filter(|l| l.kind == kind)
            .map(|l| expected_net(l, c))
            .sum()
    };
    [
        net(LineKind::OneTime),
        net(LineKind::Monthly),
        net(LineKind::Annual),
    ]
}

/// `round(H × (monthly + annual/12))` computed exactly: `round((12·H·monthly + H·annual)/12)`.
/// The numerator is an exact decimal; dividing by 12 is exact whenever the result can be a
/// rounding midpoint, and otherwise lands at least a third of the last digit away from one.
fn exact_annuity_churn_0(monthly: Decimal, annual: Decimal, horizon: u32, c: Currency) -> Decimal {
    let h = Decimal::from(horizon);
    let twelve = Decimal::from(12);
    c.round((twelve * h * monthly + h * annual) / twelve)
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn quote_totals_follow_section_3(
        specs in line_specs(),
        c in currencies(),
        term in 1u32..=72,
        horizon in 1u32..=120,
        churn in percent(),
    ) {
        let lines = lines_of(&specs);
        let terms = QuoteTerms { term_months: term, horizon_months: horizon, churn_percent: churn.value() };
        let t = quote_totals(&lines, terms, c).unwrap();
        let [one_time, monthly, annual] = part_nets(&lines, c);
        prop_assert_eq!(t.one_time.net, one_time);
        prop_assert_eq!(t.monthly.net, monthly);
        prop_assert_eq!(t.annual.net, annual);

        prop_assert_eq!(t.first_year, one_time + Decimal::from(12) * monthly + annual);
        let years = (Decimal::from(term) / Decimal::from(12)).ceil();
        prop_assert_eq!(t.contract_value, one_time + Decimal::from(term) * monthly + annual * years);

        for (part, kind) in [
            (&t.one_time, LineKind::OneTime),
            (&t.monthly, LineKind::Monthly),
            (&t.annual, LineKind::Annual),
        ] {
            let of_kind: Vec<Line> = lines.iter().filter(|l| l.kind == kind).cloned().collect();
            let cost: Decimal = of_kind.iter().map(|l| expected_cost(l, c)).sum();
            prop_assert_eq!(part.cost, cost);
            prop_assert_eq!(part.margin, part.net - cost);
            let percent = (!part.net.is_zero())
                .then(|| round_dp(part.margin * Decimal::ONE_HUNDRED / part.net, 1));
            prop_assert_eq!(part.margin_percent, percent);
            let doc = doc_totals(&of_kind, c).unwrap();
            prop_assert_eq!(&part.taxes, &doc.taxes);
            prop_assert_eq!(part.tax_total, doc.tax_total);
            prop_assert_eq!(part.total, part.net + part.tax_total);
        }

        // The annuity is rounded to the currency, and with churn it is at most the
        // churn-free value (each month's factor is ≤ 1).
        prop_assert_eq!(c.round(t.annuity_value), t.annuity_value);
        let no_churn = QuoteTerms { churn_percent: Decimal::ZERO, ..terms };
        let upper = quote_totals(&lines, no_churn, c).unwrap().annuity_value;
        prop_assert!(t.annuity_value <= upper, "{} > churn-free {}", t.annuity_value, upper);
    }

    /// With churn 0 the annuity is `round(H × (monthly + annual/12))`. The engine sums the
    /// 28-digit `annual/12` H times, which can land just below a midpoint (see
    /// `annuity_midpoints_round_away_from_zero`), so this property allows one minor unit
    /// in general and demands equality whenever `annual/12` is exact in decimals.
    #[test]
    fn annuity_without_churn_is_horizon_times_monthly_equivalent(
        specs in line_specs(),
        c in currencies(),
        horizon in 1u32..=120,
    ) {
        let lines = lines_of(&specs);
        let terms = QuoteTerms { term_months: 36, horizon_months: horizon, churn_percent: Decimal::ZERO };
        let t = quote_totals(&lines, terms, c).unwrap();
        let expected = exact_annuity_churn_0(t.monthly.net, t.annual.net, horizon, c);
        let annual_minor = t.annual.net * Decimal::from(pow10(c.minor_units()));
        if (annual_minor % Decimal::from(3)).is_zero() {
            prop_assert_eq!(t.annuity_value, expected);
        } else {
            prop_assert!(
                (t.annuity_value - expected).abs() <= minor_unit(c.minor_units()),
                "annuity {} vs exact {}", t.annuity_value, expected
            );
        }
    }

    /// The exact property (see `annuity_midpoints_round_away_from_zero` for the cases that
    /// once failed).
    #[test]

    fn annuity_without_churn_is_exact(
        monthly in num(10_000, 2),
        annual in num(100_000, 2),
        horizon in 1u32..=120,
    ) {
        let c = Currency::EUR;
        let line = |n: Num, kind| LineSpec {
            quantity: Num { mantissa: 1, scale: 0 },
            unit_price: n,
            unit_cost: None,
            discount: None,
            rate: None,
            kind,
        }.line([0; 5]);
        let lines = [line(monthly, LineKind::Monthly), line(annual, LineKind::Annual)];
        let terms = QuoteTerms { term_months: 36, horizon_months: horizon, churn_percent: Decimal::ZERO };
        let t = quote_totals(&lines, terms, c).unwrap();
        prop_assert_eq!(t.annuity_value, exact_annuity_churn_0(monthly.value(), annual.value(), horizon, c));
    }
}

proptest! {
    #![proptest_config(config(256))]

    /// margin_percent is "rounded to 1 decimal" and every rounding is midpoint away from
    /// zero (§1): a part priced 400·j with a margin of exactly t % (t = ±x.x5) shows t rounded
    /// away from zero. Random lines almost never hit such a midpoint.
    #[test]
    fn margin_percent_rounds_midpoints_away_from_zero(
        j in 1i64..=1_000,
        hundredths in (-2_000i64..=995).prop_map(|k| k * 10 + 5),
        kind in line_kind(),
    ) {
        let price = Decimal::from(400 * j);
        let margin = Decimal::new(4 * j * hundredths, 2); // price × t / 100
        let line = Line {
            unit_cost: Some(price - margin),
            ..one_line(&price.to_string(), kind)
        };
        let t = quote_totals(&[line], QuoteTerms::default(), Currency::EUR).unwrap();
        let part = match kind {
            LineKind::OneTime => &t.one_time,
            LineKind::Monthly => &t.monthly,
            LineKind::Annual => &t.annual,
        };
        prop_assert_eq!(part.margin, margin);
        let exact = Decimal::new(hundredths, 2);
        let away = exact + Decimal::new(5 * hundredths.signum(), 2);
        prop_assert_eq!(part.margin_percent, Some(away), "margin {} % shown", exact);
    }
}

fn one_line(price: &str, kind: LineKind) -> Line {
    Line {
        description: String::new(),
        quantity: Decimal::ONE,
        unit: String::new(),
        unit_price: parse_decimal("unit_price", price).unwrap(),
        unit_cost: None,
        discount_percent: None,
        tax_rate_percent: None,
        kind,
        goods: false,
        tax_category: None,
    }
}

/// Found by `annuity_without_churn_is_exact`: an annual line of 1,234.57 EUR over a 6-month
/// horizon without churn is worth exactly 6 × 1234.57 / 12 = 617.285 → 617.29 (midpoint away
/// from zero); the engine adds 102.8808333333333333333333333 (annual/12 cut to 28 digits)
/// six times, gets 617.2849999999999999999999998 and prints 617.28. Same with 0.01 EUR over
/// 6 months (0.005 → expected 0.01, engine 0.00). With churn 0 it happens whenever the exact
/// value is a midpoint, i.e. H × A ≡ 6 (mod 12) for A the annual net in minor units, and
/// annual/12 is cut downwards (A ≡ 1 mod 3): e.g. H = 9 and 14,697.70 EUR. The default
/// horizon (60) is never a midpoint; other horizons are (horizon_months is a parameter).
#[test]

fn annuity_midpoints_round_away_from_zero() {
    let c = Currency::EUR;
    let terms = |h| QuoteTerms {
        term_months: 36,
        horizon_months: h,
        churn_percent: Decimal::ZERO,
    };
    let t = quote_totals(&[one_line("1234.57", LineKind::Annual)], terms(6), c).unwrap();
    assert_eq!(t.annuity_value.to_string(), "617.29");
    let t = quote_totals(&[one_line("0.01", LineKind::Annual)], terms(6), c).unwrap();
    assert_eq!(t.annuity_value.to_string(), "0.01");
}

// ---------------------------------------------------------------------------------------
// 5. Projection (§7)
// ---------------------------------------------------------------------------------------

/// Zero a quarter of the time, so that empty months, ties and "no crossover" come up.
fn often_zero(n: impl Strategy<Value = Num>) -> impl Strategy<Value = Num> {
    prop_oneof![1 => Just(Num { mantissa: 0, scale: 0 }), 3 => n]
}

fn starts(months: u32) -> impl Strategy<Value = Vec<Decimal>> {
    let list = prop::collection::vec(
        often_zero(num(1_000_000, 2)).prop_map(Num::value),
        0..=months as usize,
    );
    prop_oneof![1 => Just(Vec::new()), 3 => list]
}

/// Realistic assumptions: churn up to 100 %, expansion up to 10 %, uplift up to 20 %
/// (larger growth over 120 months leaves Decimal's range and panics; see
/// `overflow_is_an_error_not_a_panic`).
fn projection_input() -> impl Strategy<Value = ProjectionInput> {
    (1u32..=120).prop_flat_map(|months| {
        (
            (
                Just(months),
                often_zero(percent()),
                often_zero(num(10, 2)),
                often_zero(num(20, 2)),
            ),
            (
                often_zero(num(20, 1)),
                num(200, 0),
                num(1_000, 2),
                num(1_000, 2),
                often_zero(num(100_000, 2)),
            ),
            (starts(months), starts(months), starts(months)),
        )
            .prop_map(
                |(
                    (months, churn, expansion, uplift),
                    (projects, seats, price, cost, fee),
                    (starts_mrr, starts_cost, starts_one_time),
                )| ProjectionInput {
                    months,
                    churn_percent: churn.value(),
                    expansion_percent: expansion.value(),
                    uplift_percent: uplift.value(),
                    projects_per_month: projects.value(),
                    seats_per_project: seats.value(),
                    price_per_seat: price.value(),
                    cost_per_seat: cost.value(),
                    fee_per_project: fee.value(),
                    starts_mrr,
                    starts_cost,
                    starts_one_time,
                    termed: vec![],
                },
            )
    })
}

/// How far the cohort layers' sum (and the §7 recurrence recomputed here) may be from R_m.
/// Exact equality does not hold (about a quarter of all months differ in the last digits),
/// nor does an absolute 1e-20: at R_m ≈ 10^11 Decimal's 28th significant digit is 10^-17,
/// and differences of 7e-17 were measured. The true bound is relative: every value here is
/// ≥ 0, each Decimal operation is exact to 1.3e-28 relative (96-bit mantissa) or 1e-28
/// absolute (scale 28), and R_m or a layer goes through at most 4 × 120 such roundings, so
/// |Σ layers − R_m| ≤ 480 × 1.3e-28 × (R_m + 1) ≈ 6.2e-26 × (R_m + 1). The test allows
/// 1e-25 × (R_m + 1); the largest measured over 120 000 random months was 8e-28 × (R_m + 1).
fn layer_tolerance(mrr: Decimal) -> Decimal {
    (mrr.abs() + Decimal::ONE) * Decimal::new(1, 25)
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn projection_layers_cumulatives_and_crossover(input in projection_input()) {
        let p = project(&input).unwrap();
        let months = input.months as usize;
        prop_assert_eq!(p.rows.len(), months);
        prop_assert_eq!(p.layers.len(), months);

        let at = |v: &[Decimal], m: usize| v.get(m).copied().unwrap_or_default();
        let new_mrr = input.projects_per_month * input.seats_per_project * input.price_per_seat;
        let hundred = Decimal::ONE_HUNDRED;
        let growth = (hundred - input.churn_percent + input.expansion_percent) / hundred;
        let uplift = (hundred + input.uplift_percent) / hundred;

        let (mut cum_r, mut cum_o) = (Decimal::ZERO, Decimal::ZERO);
        let mut crossover = None;
        for (m, row) in p.rows.iter().enumerate() {
            prop_assert_eq!(row.month as usize, m);

            // The recurrence of §7, R_m = R_{m-1} × growth × U_m + S_m + N_m, up to rounding.
            let started = at(&input.starts_mrr, m) + new_mrr;
            let expected_mrr = if m == 0 {
                started
            } else {
                let u = if m % 12 == 0 { uplift } else { Decimal::ONE };
                p.rows[m - 1].mrr * growth * u + started
            };
            prop_assert!(
                (row.mrr - expected_mrr).abs() <= layer_tolerance(row.mrr),
                "month {}: mrr {} but the recurrence gives {}", m, row.mrr, expected_mrr
            );

            // Cohort layers: zero before they start, S_k + N_k when they start, and they
            // add up to R_m.
            let mut layer_sum = Decimal::ZERO;
            for (k, layer) in p.layers.iter().enumerate() {
                prop_assert_eq!(layer.len(), months);
                if k > m {
                    prop_assert!(layer[m].is_zero(), "layer {} is {} in month {}", k, layer[m], m);
                }
                if k == m {
                    prop_assert_eq!(layer[m], started);
                }
                layer_sum += layer[m];
            }
            prop_assert!(
                (layer_sum - row.mrr).abs() <= layer_tolerance(row.mrr),
                "month {}: layers add up to {}, mrr is {}", m, layer_sum, row.mrr
            );

            let one_time =
                at(&input.starts_one_time, m) + input.projects_per_month * input.fee_per_project;
            prop_assert_eq!(row.one_time, one_time);
            cum_r += row.mrr;
            cum_o += row.one_time;
            prop_assert_eq!(row.cumulative_recurring, cum_r);
            prop_assert_eq!(row.cumulative_one_time, cum_o);
            if crossover.is_none() && cum_r > cum_o {
                crossover = Some(m as u32);
            }
        }
        prop_assert_eq!(p.crossover_month, crossover);
    }
}

fn termed_starts(months: u32) -> impl Strategy<Value = Vec<TermedStart>> {
    prop::collection::vec(
        (
            0..months,
            num(10_000_000, 2),
            num(10_000_000, 2),
            prop::sample::select(vec![1u32, 12, 36]),
            0..40u32,
        )
            .prop_map(|(month, mrr, cost, term_months, offset)| TermedStart {
                month,
                mrr: mrr.value(),
                cost: cost.value(),
                term_months,
                first_renewal: month + 1 + offset % term_months,
                ends: false,
            }),
        0..8,
    )
}

proptest! {
    #![proptest_config(config(128))]

    /// §10: licences with a term change only in their renewal months (no expansion here),
    /// never grow without an uplift, and their cohort layers still add up to R_m.
    #[test]
    fn termed_licences_lose_revenue_only_in_renewal_months(
        (months, termed) in (1u32..=120).prop_flat_map(|m| (Just(m), termed_starts(m))),
        churn in num(50, 2),
        uplift in often_zero(num(20, 2)),
    ) {
        let input = ProjectionInput {
            months,
            churn_percent: churn.value(),
            expansion_percent: Decimal::ZERO,
            uplift_percent: uplift.value(),
            projects_per_month: Decimal::ZERO,
            seats_per_project: Decimal::ZERO,
            price_per_seat: Decimal::ZERO,
            cost_per_seat: Decimal::ZERO,
            fee_per_project: Decimal::ZERO,
            starts_mrr: vec![],
            starts_cost: vec![],
            starts_one_time: vec![],
            termed: termed.clone(),
        };
        let p = project(&input).unwrap();
        for m in 1..months as usize {
            let renewing = termed.iter().any(|t| {
                let m = m as u32;
                m > t.month && m >= t.first_renewal && (m - t.first_renewal).is_multiple_of(t.term_months)
            });
            let started: Decimal = termed.iter().filter(|t| t.month as usize == m).map(|t| t.mrr).sum();
            let carried = p.rows[m].mrr - started;
            if !renewing {
                prop_assert!((carried - p.rows[m - 1].mrr).abs() <= layer_tolerance(p.rows[m].mrr),
                    "month {}: {} → {} without a renewal", m, p.rows[m - 1].mrr, carried);
            } else if uplift.value().is_zero() {
                prop_assert!(carried <= p.rows[m - 1].mrr + layer_tolerance(p.rows[m].mrr));
            }
            let layers: Decimal = p.layers.iter().map(|l| l[m]).sum();
            prop_assert!((layers - p.rows[m].mrr).abs() <= layer_tolerance(p.rows[m].mrr));
        }
    }
}

/// Amounts and percentages that pass validation but leave Decimal's range (about 7.9e28)
/// panic ("Multiplication overflowed", "Addition overflowed") instead of returning a
/// validation error; through `calc` and the app's commands these are user input.
#[test]

fn overflow_is_an_error_not_a_panic() {
    let huge_line = json!({
        "currency": "EUR",
        "lines": [{ "quantity": "100000000000000000000", "unit_price": "100000000000000000000" }],
    });
    let doc = std::panic::catch_unwind(|| calc::run("doc_totals", &huge_line, &no_files).is_ok());
    let doubling = ProjectionInput {
        months: 120,
        churn_percent: Decimal::ZERO,
        expansion_percent: Decimal::ONE_HUNDRED,
        uplift_percent: Decimal::ZERO,
        projects_per_month: Decimal::ONE,
        seats_per_project: Decimal::ONE,
        price_per_seat: Decimal::ONE,
        cost_per_seat: Decimal::ZERO,
        fee_per_project: Decimal::ZERO,
        starts_mrr: vec![],
        starts_cost: vec![],
        starts_one_time: vec![],
        termed: vec![vardesk_core::projection::TermedStart {
            month: 0,
            mrr: Decimal::ONE,
            cost: Decimal::ONE,
            term_months: 1,
            first_renewal: 1,
            ends: false,
        }],
    };
    let projection = std::panic::catch_unwind(|| project(&doubling).is_ok());
    assert!(doc.is_ok(), "doc_totals of 1e20 × 1e20 panics");
    assert!(
        projection.is_ok(),
        "a projection with 100 % expansion over 120 months panics"
    );
}

// ---------------------------------------------------------------------------------------
// 6. Numbering (§6)
// ---------------------------------------------------------------------------------------

const TEMPLATE: &str = "INV-{YYYY}-{SEQ:4}";

/// `INV-2026-0042` → (2026, 42), checking the padding rule on the way.
fn parse_number(number: &str) -> Option<(i32, u64)> {
    let rest = number.strip_prefix("INV-")?;
    let (year, seq) = rest.rsplit_once('-')?;
    if seq.len() < 4 || !seq.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if seq.len() > 4 && seq.starts_with('0') {
        return None; // padded beyond the width
    }
    Some((year.parse().ok()?, seq.parse().ok()?))
}

fn issue_date() -> impl Strategy<Value = NaiveDate> {
    (1i32..=99_999, 1u32..=12, 1u32..=28)
        .prop_map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap())
}

fn sequence() -> impl Strategy<Value = u64> {
    prop_oneof![1u64..=20_000, 1u64..=u64::MAX]
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn numbers_parse_back_and_keep_their_order(
        a in (issue_date(), sequence()),
        b in (issue_date(), sequence()),
    ) {
        let number_a = format_number(TEMPLATE, a.0, a.1);
        let number_b = format_number(TEMPLATE, b.0, b.1);
        let parsed_a = parse_number(&number_a);
        let parsed_b = parse_number(&number_b);
        prop_assert_eq!(parsed_a, Some((a.0.year(), a.1)), "{}", number_a);
        prop_assert_eq!(parsed_b, Some((b.0.year(), b.1)), "{}", number_b);
        // Strictly increasing: the order of (year, seq) is the order of the parsed numbers.
        prop_assert_eq!((a.0.year(), a.1).cmp(&(b.0.year(), b.1)), parsed_a.cmp(&parsed_b));
        // Never truncated: the sequence part is the full number, padded to 4 digits.
        let seq_part = number_a.rsplit_once('-').unwrap().1;
        prop_assert_eq!(seq_part, format!("{:04}", a.1));
        if a.1 >= 10_000 {
            prop_assert_eq!(seq_part, a.1.to_string());
        }
    }

    #[test]
    fn numbers_increase_within_a_year(date in issue_date(), seq in 1u64..=1_000_000, step in 1u64..=100_000) {
        let first = parse_number(&format_number(TEMPLATE, date, seq)).unwrap();
        let later = parse_number(&format_number(TEMPLATE, date, seq + step)).unwrap();
        prop_assert!(first < later);
        prop_assert_eq!(later.1 - first.1, step);
    }
}

// ---------------------------------------------------------------------------------------
// 7. Customer CSV (§8)
// ---------------------------------------------------------------------------------------

fn defaults() -> CustomerDefaults {
    CustomerDefaults {
        currency: Currency::EUR,
        payment_terms_days: 14,
    }
}

/// Characters that stress CSV: Unicode, quotes, both separators, spaces and tabs.
fn text_char(newlines: bool) -> BoxedStrategy<char> {
    let special = vec![
        'ü', 'ß', 'é', 'Ł', 'ø', '東', '京', 'ж', '😀', '"', ',', ';', ' ', '\'', '&', '\t', '-',
        '.', '#', '=', '\u{a0}', '\u{feff}',
    ];
    let mut options = vec![
        proptest::char::range('a', 'z').boxed(),
        proptest::char::range('A', 'Z').boxed(),
        select(special).boxed(),
    ];
    if newlines {
        options.push(select(vec!['\n', '\r']).boxed());
    }
    proptest::strategy::Union::new(options).boxed()
}

fn text(max: usize, newlines: bool) -> impl Strategy<Value = String> {
    prop::collection::vec(text_char(newlines), 0..max).prop_map(String::from_iter)
}

/// A name that is not blank: anything around one letter (so it may start with a quote, a
/// space or a BOM character).
fn customer_name() -> impl Strategy<Value = String> {
    (
        text(20, true),
        proptest::char::range('A', 'Z'),
        text(20, true),
    )
        .prop_map(|(before, letter, after)| format!("{before}{letter}{after}"))
}

fn optional(s: impl Strategy<Value = String>) -> impl Strategy<Value = String> {
    prop_oneof![Just(String::new()), s]
}

fn email() -> impl Strategy<Value = String> {
    optional(prop_oneof![
        "[a-z0-9][a-z0-9._+]{0,9}@[a-z0-9]{1,8}\\.[a-z]{2,6}",
        Just("zoë@ångström.se".to_string()),
    ])
}

/// A count within DOMAIN.md §6.1's bounds, 0–1,000,000, the ends included.
fn count() -> impl Strategy<Value = String> {
    optional(
        prop_oneof![Just(0u32), Just(1_000_000u32), 0u32..=1_000_000].prop_map(|n| n.to_string()),
    )
}

/// A size in GB as a user may write it: `312.5` or `312,5`, at most 2 decimals.
fn size() -> impl Strategy<Value = String> {
    optional((num(999_999_999, 2), any::<bool>()).prop_map(|(n, comma)| {
        let s = n.value().to_string();
        if comma {
            s.replace('.', ",")
        } else {
            s
        }
    }))
}

fn pick(options: &[&str]) -> impl Strategy<Value = String> {
    select(options.iter().map(|s| s.to_string()).collect::<Vec<_>>())
}

fn customer_form() -> impl Strategy<Value = CustomerForm> {
    (
        (
            customer_name(),
            text(20, true),
            email(),
            text(20, false),
            text(30, true),
        ),
        (
            text(30, true),
            text(10, false),
            text(20, true),
            text(20, false),
        ),
        (
            pick(&["", "DE", "gb", "us", "FR", "at", " ch "]),
            pick(&["", "EUR", "usd", "JPY", "BHD", "chf"]),
            optional((0u32..=365).prop_map(|n| n.to_string())),
            pick(&["", "prospect", "active", "former", "Former"]),
            text(200, true),
        ),
        (
            pick(&[
                "",
                "exchange_hybrid",
                "exchange_cutover",
                "google_workspace",
                "imap",
                "other",
            ]),
            (count(), count(), count(), count(), count()),
            (size(), size(), size(), size()),
        ),
        (
            pick(&[
                "",
                "auto",
                "domestic",
                "reverse_charge",
                "outside_eu",
                "exempt",
            ]),
            pick(&["", "Article 132(1)(g)", "Musée national"]),
            pick(&["", "04011000-12345-67", "PO 1234"]),
            pick(&["", "0208:0403170701", "9930:DE123456788"]),
            pick(&["", "de", "FR", "en-GB", "sv"]),
        ),
    )
        .prop_map(
            |(
                (name, contact_name, email, phone, address_line1),
                (address_line2, postal_code, city, tax_id),
                (country, currency, payment_terms_days, status, notes),
                (
                    mail_platform,
                    (mailboxes, shared_mailboxes, pcs, phones, sites),
                    (mailbox_gb, archive_gb, public_folder_gb, file_gb),
                ),
                (treatment, reason, buyer_reference, peppol_id, language),
            )| {
                // A VAT ID of the customer's own country (or none), so the form is valid.
                let vat_id = match country.trim().to_ascii_uppercase().as_str() {
                    "DE" => "DE 136 695 976",
                    "FR" => "FR40303265045",
                    "AT" => "atu13585627",
                    _ => "",
                };
                let tax_treatment = match treatment.as_str() {
                    "reverse_charge" if vat_id.is_empty() => "outside_eu".to_string(),
                    t => t.to_string(),
                };
                let exemption_reason = match (tax_treatment.as_str(), reason.as_str()) {
                    ("exempt", "") => "Article 135".to_string(),
                    (_, r) => r.to_string(),
                };
                CustomerForm {
                    name,
                    contact_name,
                    email,
                    phone,
                    address_line1,
                    address_line2,
                    postal_code,
                    city,
                    country,
                    tax_id,
                    currency,
                    payment_terms_days,
                    status,
                    notes,
                    mail_platform,
                    mailboxes,
                    shared_mailboxes,
                    pcs,
                    phones,
                    sites,
                    mailbox_gb,
                    archive_gb,
                    public_folder_gb,
                    file_gb,
                    vat_id: vat_id.to_string(),
                    tax_treatment,
                    exemption_reason,
                    buyer_reference,
                    peppol_id,
                    language,
                    ..CustomerForm::default()
                }
            },
        )
}

/// Valid customers with distinct names (by the import's case-insensitive rule).
fn customers() -> impl Strategy<Value = Vec<CustomerData>> {
    prop::collection::vec(customer_form(), 0..6).prop_map(|forms| {
        let mut seen = HashSet::new();
        forms
            .iter()
            .map(|f| {
                f.validate(&defaults())
                    .unwrap_or_else(|e| panic!("generated form {f:?} is invalid: {e:?}"))
            })
            .filter(|c| seen.insert(name_key(&c.name)))
            .collect()
    })
}

/// Byte soup that sometimes starts like a real file, so the parsers get past the header.
fn file_bytes(headers: &'static [&'static str]) -> impl Strategy<Value = Vec<u8>> {
    let prefix = prop_oneof![
        Just(Vec::new()),
        Just(vec![0xEF, 0xBB, 0xBF]),
        Just(vec![0xFF, 0xFE]),
        Just(b"#TYPE Selected.Microsoft\r\n".to_vec()),
    ];
    let header = prop_oneof![
        Just(String::new()),
        select(headers).prop_map(|h| format!("{h}\n")),
        select(headers).prop_map(|h| format!("{}\r\n", h.replace(',', ";"))),
    ];
    let body = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..300),
        prop::collection::vec(
            select(b"\"\"\",;\r\n \t0123456789.,()GBMKTbytes\xff\xfe\xc3\xa9Unlimited".to_vec()),
            0..300,
        ),
    ];
    (prefix, header, body).prop_map(|(mut bytes, header, body)| {
        bytes.extend_from_slice(header.as_bytes());
        bytes.extend(body);
        bytes
    })
}

const CUSTOMER_HEADERS: &[&str] = &[
    "name",
    "Name,City,Email,Mailbox GB",
    "name,contact_name,email,phone,address_line1,address_line2,postal_code,city,country,tax_id,\
     currency,payment_terms_days,status,notes,mail_platform,mailboxes,shared_mailboxes,pcs,\
     phones,sites,mailbox_gb,archive_gb,public_folder_gb,file_gb",
];

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn customers_survive_export_and_import(customers in customers()) {
        let bytes = export_customer_csv(&customers);
        prop_assert!(bytes.starts_with("\u{feff}".as_bytes()), "export must start with a BOM");
        let preview = parse_customer_csv(&bytes, &defaults(), &HashSet::new(), &Default::default()).unwrap();
        prop_assert_eq!(&preview.summary.errors, &vec![]);
        prop_assert_eq!(&preview.summary.ignored_columns, &Vec::<String>::new());
        prop_assert_eq!(preview.summary.rows as usize, customers.len());
        prop_assert_eq!(preview.summary.valid as usize, customers.len());
        prop_assert_eq!(&preview.customers, &customers);
    }

    #[test]
    fn customer_csv_never_panics(bytes in file_bytes(CUSTOMER_HEADERS)) {
        // Ok or Err are both fine; a panic fails the test.
        let _ = parse_customer_csv(&bytes, &defaults(), &HashSet::new(), &Default::default());
    }
}

// ---------------------------------------------------------------------------------------
// 8. Inventory parser (§4.1)
// ---------------------------------------------------------------------------------------

const INVENTORY_HEADERS: &[&str] = &[
    "DisplayName,TotalItemSize,ItemCount",
    "DisplayName,RecipientTypeDetails,TotalItemSize,ArchiveTotalItemSize",
    "Name,Mailbox Size (GB),Archive Size (MB)",
    "Name,SizeGB,ArchiveSizeTB",
    "Size",
];

/// A size cell in one of the shapes of §4.1, with numbers small enough to stay in Decimal's
/// range (see `huge_inventory_sizes_are_row_errors` for what happens beyond).
fn size_cell() -> impl Strategy<Value = String> {
    let number = (0u64..=999_999_999_999, 0u32..=3)
        .prop_map(|(m, s)| Decimal::from_i128_with_scale(i128::from(m), s).to_string());
    let unit = pick(&["", " B", " KB", " MB", " GB", " TB", "GB", " gb", " PB"]);
    prop_oneof![
        (number.clone(), unit).prop_map(|(n, u)| format!("{n}{u}")),
        (number.clone(), 0u64..=999_999_999_999_999)
            .prop_map(|(n, b)| format!("\"{n} GB ({b} bytes)\"")),
        number.prop_map(|n| format!("\"{}\"", n.replace('.', ","))),
        pick(&[
            "",
            "Unlimited",
            "n/a",
            "(",
            ")(",
            "( bytes)",
            "1.5 GB (x bytes)",
            "\"1,2,3\""
        ]),
    ]
}

fn inventory_file() -> impl Strategy<Value = Vec<u8>> {
    let row = (
        text(10, false),
        pick(&["UserMailbox", "SharedMailbox", "roommailbox", "", "Other"]),
        size_cell(),
        size_cell(),
    )
        .prop_map(|(name, kind, size, archive)| {
            format!("\"{}\",{kind},{size},{archive}", name.replace('"', "\"\""))
        });
    (
        select(INVENTORY_HEADERS),
        prop::collection::vec(row, 0..20),
        any::<bool>(),
    )
        .prop_map(|(header, rows, semicolons)| {
            let mut text = format!("{header}\r\n{}\r\n", rows.join("\r\n"));
            if semicolons {
                text = text.replace(',', ";");
            }
            text.into_bytes()
        })
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn inventory_never_panics_on_bytes(bytes in file_bytes(INVENTORY_HEADERS)) {
        let _ = parse_inventory(&bytes);
    }

    #[test]
    fn inventory_never_panics_on_csv_like_files(bytes in inventory_file()) {
        if let Ok(inv) = parse_inventory(&bytes) {
            // Rows either count as a mailbox or are listed as errors.
            prop_assert_eq!(
                inv.rows_read as usize,
                (inv.user_mailboxes + inv.shared_mailboxes) as usize + inv.errors.len()
            );
            prop_assert!(inv.mailbox_gb >= Decimal::ZERO && inv.mailbox_gb.scale() <= 2);
            prop_assert!(inv.archive_gb >= Decimal::ZERO && inv.archive_gb.scale() <= 2);
        }
    }
}

/// Found while writing `inventory_file`: a size cell whose byte value exceeds Decimal's range
/// panics ("Multiplication overflowed") instead of becoming a row error, and so does the sum
/// of many large byte counts ("Addition overflowed"). Both are files a user can pick.
#[test]

fn huge_inventory_sizes_are_row_errors() {
    let huge = std::panic::catch_unwind(|| {
        parse_inventory(b"Size\n9999999999999999999999999999 TB\n").is_ok()
    });
    assert!(huge.is_ok(), "a 28-digit size in TB panics");
    let mut many = String::from("Size\n");
    for _ in 0..100 {
        many.push_str("\"x (999999999999999999999999999 bytes)\"\n");
    }
    let sum = std::panic::catch_unwind(|| parse_inventory(many.as_bytes()).is_ok());
    assert!(sum.is_ok(), "summing 100 sizes of 27 digits panics");
}

// ---------------------------------------------------------------------------------------
// 9. Decimal parsing (§1)
// ---------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn decimal_parsers_never_panic(
        text in prop_oneof![
            any::<String>(),
            "[-+ 0-9.,'\u{a0}\u{202f}eE]{0,40}",
            "-?[0-9]{0,35}(\\.[0-9]{0,35})?",
        ],
    ) {
        let strict = parse_decimal("x", &text);
        let user = parse_user_decimal("x", &text);
        // Whatever the strict parser accepts, the lenient one accepts as the same value.
        if let Ok(v) = strict {
            prop_assert_eq!(user.ok(), Some(v), "{:?}", text);
        }
    }

    #[test]
    fn currency_codes_never_panic(code in prop_oneof![any::<String>(), "[a-zA-Z ]{0,5}"]) {
        if let Ok(c) = Currency::parse(&code) {
            prop_assert_eq!(c.code(), code.trim().to_ascii_uppercase());
            prop_assert!(c.minor_units() <= 4);
        }
    }

    #[test]
    fn decimals_survive_to_string_and_parse(mantissa in any::<i64>(), scale in 0u32..=10) {
        let x = Decimal::new(mantissa, scale);
        let parsed = parse_decimal("x", &x.to_string()).unwrap();
        prop_assert_eq!(parsed, x);
        // Also the scale, so "12.50" stays "12.50".
        prop_assert_eq!(parsed.to_string(), x.to_string());
    }
}
