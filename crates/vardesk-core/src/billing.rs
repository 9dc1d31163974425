//! Subscriptions and what a billing run charges for one of them in one month (DOMAIN.md §5).

use chrono::{Datelike, Months, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::CoreError;
use crate::money::Currency;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Interval {
    Monthly,
    Annual,
    /// Once per three-year Microsoft licence term, paid upfront (§10).
    Triennial,
}

impl Interval {
    /// From the stored name: "annual", "triennial", else monthly.
    pub fn from_stored(name: &str) -> Interval {
        match name {
            "annual" => Interval::Annual,
            "triennial" => Interval::Triennial,
            _ => Interval::Monthly,
        }
    }

    /// From a form or file: the stored names only.
    pub fn parse(name: &str) -> Option<Interval> {
        match name {
            "monthly" => Some(Interval::Monthly),
            "annual" => Some(Interval::Annual),
            "triennial" => Some(Interval::Triennial),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Interval::Monthly => "monthly",
            Interval::Annual => "annual",
            Interval::Triennial => "triennial",
        }
    }

    /// The months one charge covers.
    pub fn months(self) -> u32 {
        match self {
            Interval::Monthly => 1,
            Interval::Annual => 12,
            Interval::Triennial => 36,
        }
    }

    /// What one charge is worth per month (MRR, §7): an annual charge counts a twelfth (a
    /// triennial one a thirty-sixth), unrounded.
    pub fn per_month(self, amount: Decimal) -> Decimal {
        match self {
            Interval::Monthly => amount,
            other => amount / Decimal::from(other.months()),
        }
    }
}

/// A billing month, `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Period {
    first_day: NaiveDate,
}

impl Period {
    pub fn parse(text: &str) -> Result<Period, CoreError> {
        let bad =
            || CoreError::validation("period", format!("\"{text}\" is not a month like 2026-11."));
        let (y, m) = text.trim().split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(bad());
        }
        let year: i32 = y.parse().map_err(|_| bad())?;
        let month: u32 = m.parse().map_err(|_| bad())?;
        let first_day = NaiveDate::from_ymd_opt(year, month, 1).ok_or_else(bad)?;
        Ok(Period { first_day })
    }

    pub fn of(date: NaiveDate) -> Period {
        Period {
            first_day: date.with_day(1).unwrap_or(date),
        }
    }

    pub fn first_day(&self) -> NaiveDate {
        self.first_day
    }

    pub fn last_day(&self) -> NaiveDate {
        self.plus_months(1)
            .first_day
            .pred_opt()
            .unwrap_or(self.first_day)
    }

    pub fn days(&self) -> u32 {
        self.last_day().day()
    }

    pub fn plus_months(&self, months: u32) -> Period {
        Period {
            first_day: self.first_day + Months::new(months),
        }
    }

    pub fn minus_months(&self, months: u32) -> Period {
        Period {
            first_day: self.first_day - Months::new(months),
        }
    }

    /// Whole months from `earlier` to `self` (negative when `self` is before it).
    pub fn months_since(&self, earlier: Period) -> i64 {
        let index =
            |p: &Period| i64::from(p.first_day.year()) * 12 + i64::from(p.first_day.month0());
        index(self) - index(&earlier)
    }

    /// "November 2026".
    pub fn long_name(&self) -> String {
        self.first_day.format("%B %Y").to_string()
    }

    /// "Nov 2026".
    pub fn short_name(&self) -> String {
        self.first_day.format("%b %Y").to_string()
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.first_day.format("%Y-%m"))
    }
}

/// The billing-relevant part of a subscription.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct SubscriptionTerms {
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub quantity: Decimal,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub unit_price: Decimal,
    pub interval: Interval,
    pub start_date: NaiveDate,
    #[serde(default)]
    pub end_date: Option<NaiveDate>,
    /// A discount carried over from the quote (0 when absent).
    #[serde(default, with = "crate::money::serde_str::option")]
    #[specta(type = Option<String>)]
    pub discount_percent: Option<Decimal>,
    /// No period before this month is billed (§6.1: after an annual → monthly switch,
    /// monthly billing starts when the billed annual period ends).
    #[serde(default)]
    pub bill_from: Option<NaiveDate>,
    /// The month annual billing counts anniversaries from; the start month when absent
    /// (§6.1: a monthly → annual switch starts the year at the first unbilled month).
    #[serde(default)]
    pub anniversary: Option<NaiveDate>,
}

impl SubscriptionTerms {
    /// §6.1 bounds: seats 0–1,000,000, a price of at most 12 digits before the decimal
    /// mark, a discount 0–100 %, and an end not before the start.
    pub fn validate(&self) -> Result<(), CoreError> {
        let discount = self.discount_percent.unwrap_or_default();
        let checks = [
            (
                self.quantity >= Decimal::ZERO
                    && self.quantity <= Decimal::from(crate::bounds::MAX_COUNT),
                "quantity",
                "The quantity must be from 0 to 1,000,000.",
            ),
            (
                self.unit_price >= Decimal::ZERO && crate::bounds::amount_in_range(self.unit_price),
                "unit_price",
                "The price must be 0 or more, with at most 12 digits before the decimal mark.",
            ),
            (
                (Decimal::ZERO..=Decimal::ONE_HUNDRED).contains(&discount),
                "discount_percent",
                "The discount must be from 0 to 100 %.",
            ),
            (
                self.end_date.is_none_or(|e| e >= self.start_date),
                "end_date",
                "The end date must not be before the start date.",
            ),
        ];
        match checks.iter().find(|(ok, _, _)| !ok) {
            Some((_, field, why)) => Err(CoreError::validation(field, *why)),
            None => Ok(()),
        }
    }

    fn anniversary_month(&self) -> Period {
        Period::of(self.anniversary.unwrap_or(self.start_date))
    }

    /// The customer's billing period holding `day` (§5): its month when billed monthly,
    /// else the 12 months from the anniversary month that hold it; with the period key its
    /// line is billed under (the month, or the anniversary month of that year).
    pub fn period_of(&self, day: NaiveDate) -> (NaiveDate, NaiveDate, Period) {
        let month = Period::of(day);
        match self.interval {
            Interval::Monthly => (month.first_day(), month.last_day(), month),
            long => {
                let span = i64::from(long.months());
                let since = month.months_since(self.anniversary_month());
                let spans = since.div_euclid(span);
                let first = if spans >= 0 {
                    self.anniversary_month().plus_months((spans * span) as u32)
                } else {
                    self.anniversary_month()
                        .minus_months((-spans * span) as u32)
                };
                (
                    first.first_day(),
                    first.plus_months(long.months() - 1).last_day(),
                    first,
                )
            }
        }
    }

    /// The last month a bill for `period` under these terms pays for: the period itself for
    /// a monthly charge, eleven months later for an annual one due then.
    pub fn covered_until(&self, period: Period) -> Period {
        let since = period.months_since(self.anniversary_month());
        let months = i64::from(self.interval.months());
        if months > 1 && since >= 0 && since % months == 0 {
            period.plus_months(self.interval.months() - 1)
        } else {
            period
        }
    }

    /// These terms changed to `new` (DOMAIN.md §6.1) when `last_billed` is the latest period
    /// on any invoice: changes take effect from the first period not billed yet, never
    /// billing a period twice or skipping one. A start date moved into or before what was
    /// billed is refused, naming the billed period.
    pub fn changed_to(
        &self,
        new: &SubscriptionTerms,
        last_billed: Option<Period>,
    ) -> Result<SubscriptionTerms, CoreError> {
        let mut next = new.clone();
        let Some(last) = last_billed else {
            next.bill_from = None;
            next.anniversary = None;
            return Ok(next);
        };
        let covered = self.covered_until(last);
        let first_unbilled = covered.plus_months(1);
        next.bill_from = self.bill_from;
        next.anniversary = self.anniversary;
        if new.start_date != self.start_date {
            if new.start_date < first_unbilled.first_day() {
                let billed = if covered == last {
                    last.long_name()
                } else {
                    format!("{} – {}", last.short_name(), covered.short_name())
                };
                return Err(CoreError::validation(
                    "start_date",
                    format!(
                        "{billed} is already billed, so the start date can only move to {} or \
                         later. End the subscription and add a new one to bill differently.",
                        first_unbilled.first_day()
                    ),
                ));
            }
            // A new start after everything billed: the year counts from it again.
            next.anniversary = None;
        }
        let from = first_unbilled.first_day();
        match (self.interval, new.interval) {
            (Interval::Annual | Interval::Triennial, Interval::Monthly) => {
                next.bill_from = Some(next.bill_from.map_or(from, |b| b.max(from)));
                next.anniversary = None;
            }
            (Interval::Monthly, Interval::Annual | Interval::Triennial) => {
                next.anniversary = Some(from.max(next.start_date));
                next.bill_from = Some(next.bill_from.map_or(from, |b| b.max(from)));
            }
            _ => {}
        }
        Ok(next)
    }
}

/// What one subscription is charged in one month.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct BillLine {
    pub due: bool,
    /// `None` when not due.
    pub amount: Option<Decimal>,
    /// Monthly subscriptions that are due only.
    pub active_days: Option<u32>,
    pub days_in_month: u32,
    /// The text after the description: "November 2026", "prorated 12/30 days", the annual span.
    pub period_label: Option<String>,
    /// The months the charge covers (1, 12 or 36).
    pub months: u32,
}

/// Applies the rules of §5 to one subscription and one month.
pub fn bill_line(
    sub: &SubscriptionTerms,
    period: Period,
    currency: Currency,
) -> Result<BillLine, CoreError> {
    sub.validate()?;
    let days_in_month = period.days();
    let not_due = BillLine {
        due: false,
        amount: None,
        active_days: None,
        days_in_month,
        period_label: None,
        months: sub.interval.months(),
    };
    let discount = Decimal::ONE - sub.discount_percent.unwrap_or_default() / Decimal::ONE_HUNDRED;
    let full = sub.quantity * sub.unit_price * discount;
    if sub.bill_from.is_some_and(|b| period.last_day() < b) {
        return Ok(not_due);
    }
    match sub.interval {
        Interval::Monthly => {
            let from = sub
                .start_date
                .max(period.first_day())
                .max(sub.bill_from.unwrap_or(period.first_day()));
            let to = sub
                .end_date
                .map_or(period.last_day(), |e| e.min(period.last_day()));
            if to < from {
                return Ok(not_due);
            }
            let active = u32::try_from((to - from).num_days() + 1).unwrap_or(0);
            let amount = if active == days_in_month {
                full
            } else {
                full * Decimal::from(active) / Decimal::from(days_in_month)
            };
            let mut label = period.long_name();
            if active < days_in_month {
                label.push_str(&format!(" (prorated {active}/{days_in_month} days)"));
            }
            Ok(BillLine {
                due: true,
                amount: Some(currency.round(amount)),
                active_days: Some(active),
                days_in_month,
                period_label: Some(label),
                months: 1,
            })
        }
        long => {
            let since = period.months_since(sub.anniversary_month());
            let ended = sub.end_date.is_some_and(|e| e < period.first_day());
            if since < 0 || since % i64::from(long.months()) != 0 || ended {
                return Ok(not_due);
            }
            let last = period.plus_months(long.months() - 1);
            Ok(BillLine {
                due: true,
                amount: Some(currency.round(full)),
                active_days: None,
                days_in_month,
                period_label: Some(format!("{} – {}", period.short_name(), last.short_name())),
                months: long.months(),
            })
        }
    }
}

/// From this day of the month the next month's billing run is offered: partners bill
/// licences ahead, before the month starts.
pub const NEXT_RUN_FROM_DAY: u32 = 20;

/// The next month, when its billing run is due to be offered on `today`.
pub fn next_run_offered(today: NaiveDate) -> Option<Period> {
    use chrono::Datelike;
    (today.day() >= NEXT_RUN_FROM_DAY).then(|| Period::of(today).plus_months(1))
}

/// How a billed amount is written on the invoice: (quantity, unit price, discount %).
/// A whole period shows the terms as quoted — "60 × 24.00 less 10 %" — whenever they net
/// to exactly the amount §5 computed; a prorated period is 1 × its amount (its description
/// says "prorated d/n days").
pub fn billed_terms(
    sub: &SubscriptionTerms,
    line: &BillLine,
    currency: Currency,
) -> Option<(Decimal, Decimal, Decimal)> {
    let amount = line.amount.filter(|_| line.due)?;
    let whole = line
        .active_days
        .is_none_or(|days| days == line.days_in_month);
    let discount = sub.discount_percent.unwrap_or_default();
    let as_quoted = crate::lines::Line {
        description: String::new(),
        quantity: sub.quantity,
        unit: String::new(),
        unit_price: sub.unit_price,
        unit_cost: None,
        discount_percent: Some(discount),
        tax_rate_percent: None,
        kind: Default::default(),
        goods: false,
        tax_category: None,
    };
    Some(if whole && as_quoted.net(currency) == amount {
        (sub.quantity, sub.unit_price, discount)
    } else {
        (Decimal::ONE, amount, Decimal::ZERO)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_parse_strictly() {
        assert!(Period::parse("2026-13").is_err());
        assert!(Period::parse("2026-1").is_err());
        assert_eq!(Period::parse("2028-02").unwrap().days(), 29);
    }

    #[test]
    fn annual_lines_name_the_year_they_cover() {
        let sub = SubscriptionTerms {
            quantity: Decimal::ONE,
            unit_price: Decimal::from(100),
            interval: Interval::Annual,
            start_date: NaiveDate::from_ymd_opt(2025, 11, 15).unwrap(),
            end_date: None,
            discount_percent: None,
            bill_from: None,
            anniversary: None,
        };
        let line = bill_line(&sub, Period::parse("2026-11").unwrap(), Currency::EUR).unwrap();
        assert_eq!(line.period_label.as_deref(), Some("Nov 2026 – Oct 2027"));
    }

    #[test]
    fn prorated_lines_say_so() {
        let sub = SubscriptionTerms {
            quantity: Decimal::ONE,
            unit_price: Decimal::from(30),
            interval: Interval::Monthly,
            start_date: NaiveDate::from_ymd_opt(2026, 11, 19).unwrap(),
            end_date: None,
            discount_percent: None,
            bill_from: None,
            anniversary: None,
        };
        let line = bill_line(&sub, Period::parse("2026-11").unwrap(), Currency::EUR).unwrap();
        assert_eq!(
            line.period_label.as_deref(),
            Some("November 2026 (prorated 12/30 days)")
        );
        assert_eq!(line.amount, Some(Decimal::from(12)));
    }

    fn terms(interval: Interval, start: &str) -> SubscriptionTerms {
        SubscriptionTerms {
            quantity: Decimal::ONE,
            unit_price: Decimal::from(120),
            interval,
            start_date: start.parse().unwrap(),
            end_date: None,
            discount_percent: None,
            bill_from: None,
            anniversary: None,
        }
    }

    fn due(t: &SubscriptionTerms, period: &str) -> bool {
        bill_line(t, Period::parse(period).unwrap(), Currency::EUR)
            .unwrap()
            .due
    }

    #[test]
    fn annual_billed_then_monthly_starts_after_the_billed_year() {
        let annual = terms(Interval::Annual, "2026-12-01");
        let monthly = terms(Interval::Monthly, "2026-12-01");
        let last = Period::parse("2026-12").ok();
        let next = annual.changed_to(&monthly, last).unwrap();
        assert!(!due(&next, "2027-01"));
        assert!(!due(&next, "2027-11"));
        assert!(due(&next, "2027-12"));
    }

    #[test]
    fn monthly_billed_then_annual_starts_its_year_at_the_first_unbilled_month() {
        let monthly = terms(Interval::Monthly, "2026-10-01");
        let annual = terms(Interval::Annual, "2026-10-01");
        let next = monthly
            .changed_to(&annual, Period::parse("2026-12").ok())
            .unwrap();
        assert!(!due(&next, "2026-12"));
        assert!(due(&next, "2027-01"));
        assert!(!due(&next, "2027-02"));
        assert!(due(&next, "2028-01"));
    }

    #[test]
    fn a_start_moved_into_a_billed_period_is_refused_naming_it() {
        let annual = terms(Interval::Annual, "2026-12-01");
        let earlier = terms(Interval::Annual, "2026-10-01");
        let err = annual
            .changed_to(&earlier, Period::parse("2026-12").ok())
            .unwrap_err();
        assert!(
            err.message.contains("Dec 2026 – Nov 2027"),
            "{}",
            err.message
        );
        let later = terms(Interval::Annual, "2028-01-01");
        assert!(annual
            .changed_to(&later, Period::parse("2026-12").ok())
            .is_ok());
        // Nothing billed yet: anything goes.
        assert!(annual.changed_to(&earlier, None).is_ok());
    }

    #[test]
    fn billed_lines_show_the_quoted_terms_and_net_to_the_amount() {
        let month = Period::parse("2026-12").unwrap();
        let terms = |discount: &str, start: (i32, u32, u32)| SubscriptionTerms {
            quantity: Decimal::from(60),
            unit_price: Decimal::from(24),
            interval: Interval::Monthly,
            start_date: NaiveDate::from_ymd_opt(start.0, start.1, start.2).unwrap(),
            end_date: None,
            discount_percent: Some(discount.parse().unwrap()),
            bill_from: None,
            anniversary: None,
        };
        let written = |sub: &SubscriptionTerms| {
            let line = bill_line(sub, month, Currency::EUR).unwrap();
            let (q, p, d) = billed_terms(sub, &line, Currency::EUR).unwrap();
            let net = Currency::EUR.round(q * p * (Decimal::ONE - d / Decimal::ONE_HUNDRED));
            assert_eq!(
                Some(net),
                line.amount,
                "the invoice line nets to §5's amount"
            );
            (q, p, d)
        };
        // A whole month: 60 × 24.00 less 10 % = 1,296.00, as quoted.
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(
            written(&terms("10", (2026, 1, 15))),
            (d("60"), d("24"), d("10"))
        );
        // Prorated (from 19 December, 13 of 31 days): one line of the prorated amount.
        assert_eq!(
            written(&terms("10", (2026, 12, 19))),
            (Decimal::ONE, d("543.48"), Decimal::ZERO)
        );
        // Fractions of a cent round once, the same way on the line as in §5.
        let odd = SubscriptionTerms {
            quantity: d("7"),
            unit_price: d("0.15"),
            discount_percent: Some(d("12.5")),
            ..terms("0", (2026, 1, 1))
        };
        assert_eq!(written(&odd), (d("7"), d("0.15"), d("12.5")));
        // Nothing due: nothing written.
        let ended = SubscriptionTerms {
            end_date: NaiveDate::from_ymd_opt(2026, 11, 30),
            ..terms("0", (2026, 1, 1))
        };
        let line = bill_line(&ended, month, Currency::EUR).unwrap();
        assert_eq!(billed_terms(&ended, &line, Currency::EUR), None);
    }

    #[test]
    fn next_month_is_offered_from_the_twentieth() {
        let day = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(next_run_offered(day("2026-11-19")), None);
        assert_eq!(
            next_run_offered(day("2026-11-20")).map(|p| p.to_string()),
            Some("2026-12".into())
        );
        assert_eq!(
            next_run_offered(day("2026-12-31")).map(|p| p.to_string()),
            Some("2027-01".into())
        );
    }

    /// §10: a three-year licence paid upfront bills its customer once per term, one line
    /// covering the three years, due again 36 months later.
    #[test]
    fn a_triennial_charge_covers_three_years_once() {
        let terms = SubscriptionTerms {
            quantity: Decimal::from(10),
            unit_price: Decimal::new(42120, 2),
            interval: Interval::Triennial,
            start_date: "2026-11-15".parse().unwrap(),
            end_date: None,
            discount_percent: None,
            bill_from: None,
            anniversary: None,
        };
        let at = |p: &str| bill_line(&terms, Period::parse(p).unwrap(), Currency::EUR).unwrap();
        let first = at("2026-11");
        assert_eq!(first.amount, Some(Decimal::new(421200, 2)));
        assert_eq!(first.period_label.as_deref(), Some("Nov 2026 – Oct 2029"));
        assert_eq!(first.months, 36);
        for p in ["2026-12", "2027-11", "2028-11", "2029-10"] {
            assert!(!at(p).due, "{p}");
        }
        assert!(at("2029-11").due);
        assert_eq!(
            terms
                .covered_until(Period::parse("2026-11").unwrap())
                .to_string(),
            "2029-10"
        );
        assert_eq!(
            Interval::Triennial.per_month(Decimal::from(36)),
            Decimal::ONE
        );
        let (from, to, key) = terms.period_of("2028-02-10".parse().unwrap());
        assert_eq!(
            (from.to_string(), to.to_string(), key.to_string()),
            ("2026-11-01".into(), "2029-10-31".into(), "2026-11".into())
        );
        let texts = crate::i18n::texts("de");
        assert_eq!(
            texts.billed_period(&first, Period::parse("2026-11").unwrap()),
            "November 2026 – Oktober 2029"
        );
    }
}
