//! Microsoft licence subscriptions under new commerce (DOMAIN.md §10): terms, their end and
//! renewal month, the 7-day window of each seat batch, and what added or removed seats are
//! billed or credited for the rest of the customer's period.

use chrono::{Datelike, Days, Months, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::billing::Period;
use crate::error::CoreError;
use crate::money::Currency;

/// A commitment term, as ISO 8601 durations name them in Partner Center.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Term {
    P1M,
    P1Y,
    P3Y,
}

impl Term {
    pub fn parse(text: &str) -> Result<Term, CoreError> {
        match text.trim().to_ascii_uppercase().as_str() {
            "P1M" => Ok(Term::P1M),
            "P1Y" => Ok(Term::P1Y),
            "P3Y" => Ok(Term::P3Y),
            other => Err(CoreError::validation(
                "term",
                format!("\"{other}\" is not a term: P1M, P1Y or P3Y."),
            )),
        }
    }

    pub fn months(self) -> u32 {
        match self {
            Term::P1M => 1,
            Term::P1Y => 12,
            Term::P3Y => 36,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Term::P1M => "P1M",
            Term::P1Y => "P1Y",
            Term::P3Y => "P3Y",
        }
    }
}

/// How the partner pays Microsoft for the commitment (§10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Billing {
    Monthly,
    Annual,
    Upfront,
}

impl Billing {
    pub fn parse(text: &str) -> Result<Billing, CoreError> {
        match text.trim().to_ascii_lowercase().as_str() {
            "monthly" => Ok(Billing::Monthly),
            "annual" => Ok(Billing::Annual),
            "upfront" => Ok(Billing::Upfront),
            other => Err(CoreError::validation(
                "billing",
                format!("\"{other}\" is not a billing frequency: monthly, annual or upfront."),
            )),
        }
    }
}

/// A term's natural end: the day before the same date a term later (§10: start + term −
/// 1 day). A date the later month lacks is its last day, so a month from 31 January ends on
/// the day before the end of February.
pub fn term_end(start: NaiveDate, term: Term) -> NaiveDate {
    let next = start
        .checked_add_months(Months::new(term.months()))
        .unwrap_or(NaiveDate::MAX);
    next.pred_opt().unwrap_or(next)
}

/// How a new subscription's first term may be shortened to end with others (co-terming).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CoTerm {
    /// The natural end.
    None,
    /// The end date of another subscription of the customer.
    With(NaiveDate),
    /// The end of a calendar month: the last day of the month before the natural end's month
    /// ends, or the natural end itself when it is a month's last day.
    MonthEnd,
}

/// The first term's end under `coterm`. Refused when the chosen end is not inside the term
/// (before its start, or after its natural end).
pub fn first_term_end(
    start: NaiveDate,
    term: Term,
    coterm: CoTerm,
) -> Result<NaiveDate, CoreError> {
    let natural = term_end(start, term);
    let end = match coterm {
        CoTerm::None => natural,
        CoTerm::With(other) => other,
        CoTerm::MonthEnd => {
            if is_month_end(natural) {
                natural
            } else {
                natural
                    .with_day(1)
                    .and_then(|d| d.pred_opt())
                    .unwrap_or(natural)
            }
        }
    };
    if end < start || end > natural {
        return Err(CoreError::validation(
            "coterm_with",
            format!(
                "A {} term from {start} can end on {natural} at the latest, and not before it \
                 starts; {end} is outside it.",
                term.as_str()
            ),
        ));
    }
    Ok(end)
}

fn is_month_end(d: NaiveDate) -> bool {
    d.succ_opt().is_none_or(|n| n.month() != d.month())
}

/// The month a term ending on `end` renews in: the one holding the day after.
pub fn renewal_month(end: NaiveDate) -> Period {
    Period::of(end.succ_opt().unwrap_or(end))
}

/// Seats bought (or renewed) on `bought_on` can be removed, with a prorated credit, until the
/// end of the seventh day after: 7 × 24 hours from any time that day.
pub fn within_cancel_window(bought_on: NaiveDate, today: NaiveDate) -> bool {
    today >= bought_on && today <= bought_on + Days::new(7)
}

/// The last day seats bought on `bought_on` can still be removed.
pub fn cancel_window_ends(bought_on: NaiveDate) -> NaiveDate {
    bought_on + Days::new(7)
}

/// What `seats` added (or, negative, removed within their window) cost for the rest of the
/// customer's billing period (§10): `round(seats × unit_price × (1 − discount/100) ×
/// days_remaining / days_in_period)`. The period is the month (monthly) or the 12 months from
/// the billing anniversary (annual); `days_remaining` counts the change day itself.
pub fn prorated_seats(
    seats: Decimal,
    unit_price: Decimal,
    discount_percent: Decimal,
    days_remaining: u32,
    days_in_period: u32,
    currency: Currency,
) -> Result<Decimal, CoreError> {
    if days_in_period == 0 || days_remaining > days_in_period {
        return Err(CoreError::validation(
            "days",
            "The days remaining must be within the billing period.",
        ));
    }
    let factor = Decimal::ONE - discount_percent / Decimal::ONE_HUNDRED;
    let amount =
        seats * unit_price * factor * Decimal::from(days_remaining) / Decimal::from(days_in_period);
    Ok(currency.round(amount))
}

/// The days left in the customer's billing period from `on` (counted) to `period_end`.
pub fn days_remaining(on: NaiveDate, period_end: NaiveDate) -> u32 {
    u32::try_from((period_end - on).num_days() + 1).unwrap_or(0)
}

/// The share of its MRR a termed subscription keeps at a renewal month (§10): with monthly
/// churn c %, a term of L months keeps (1 − c/100)^L, and nothing is lost between renewals.
pub fn kept_at_renewal(churn_percent: Decimal, term: Term) -> Decimal {
    let monthly = Decimal::ONE - churn_percent / Decimal::ONE_HUNDRED;
    (0..term.months()).fold(Decimal::ONE, |kept, _| kept * monthly)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn terms_end_the_day_before_the_same_date_a_term_later() {
        assert_eq!(term_end(d("2026-11-15"), Term::P1Y), d("2027-11-14"));
        assert_eq!(term_end(d("2026-11-01"), Term::P1M), d("2026-11-30"));
        assert_eq!(term_end(d("2027-01-31"), Term::P1M), d("2027-02-27"));
        assert_eq!(term_end(d("2026-03-01"), Term::P3Y), d("2029-02-28"));
        assert_eq!(renewal_month(d("2027-11-14")).to_string(), "2027-11");
        assert_eq!(renewal_month(d("2026-11-30")).to_string(), "2026-12");
    }

    #[test]
    fn a_first_term_co_terms_with_another_or_a_month_end_inside_the_term() {
        let start = d("2026-11-15");
        assert_eq!(
            first_term_end(start, Term::P1Y, CoTerm::MonthEnd).unwrap(),
            d("2027-10-31")
        );
        assert_eq!(
            first_term_end(d("2026-12-01"), Term::P1Y, CoTerm::MonthEnd).unwrap(),
            d("2027-11-30"),
            "a natural end on a month's last day stays"
        );
        assert_eq!(
            first_term_end(start, Term::P1Y, CoTerm::With(d("2027-03-31"))).unwrap(),
            d("2027-03-31")
        );
        for bad in [d("2026-11-14"), d("2027-11-15")] {
            let err = first_term_end(start, Term::P1Y, CoTerm::With(bad)).unwrap_err();
            assert_eq!(err.field.as_deref(), Some("coterm_with"), "{bad}");
        }
    }

    #[test]
    fn seats_come_off_only_within_seven_days_of_their_purchase() {
        let bought = d("2026-11-20");
        assert!(within_cancel_window(bought, d("2026-11-20")));
        assert!(within_cancel_window(bought, d("2026-11-27")));
        assert!(!within_cancel_window(bought, d("2026-11-28")));
        assert!(!within_cancel_window(bought, d("2026-11-19")));
        assert_eq!(cancel_window_ends(bought), d("2026-11-27"));
    }

    #[test]
    fn added_seats_are_billed_for_the_days_left_in_the_period() {
        let eur = Currency::EUR;
        // 5 seats × 20.60 less 10 %, added on 20 November: 11 of 30 days.
        let days = days_remaining(d("2026-11-20"), d("2026-11-30"));
        assert_eq!(days, 11);
        let amount = prorated_seats(
            Decimal::from(5),
            "20.60".parse().unwrap(),
            Decimal::from(10),
            days,
            30,
            eur,
        )
        .unwrap();
        assert_eq!(amount.to_string(), "33.99"); // 92.70 × 11/30 = 33.99
        let credit = prorated_seats(
            Decimal::from(-5),
            "20.60".parse().unwrap(),
            Decimal::ZERO,
            30,
            30,
            eur,
        )
        .unwrap();
        assert_eq!(credit.to_string(), "-103.00");
        assert!(prorated_seats(Decimal::ONE, Decimal::ONE, Decimal::ZERO, 31, 30, eur).is_err());
    }

    #[test]
    fn a_termed_subscription_keeps_its_term_of_churn_at_renewal() {
        let kept = kept_at_renewal(Decimal::ONE, Term::P1Y);
        // 0.99^12 = 0.8863848717...
        assert_eq!(crate::money::round_dp(kept, 6).to_string(), "0.886385");
        assert_eq!(kept_at_renewal(Decimal::ZERO, Term::P3Y), Decimal::ONE);
        assert_eq!(
            kept_at_renewal(Decimal::from(2), Term::P1M),
            "0.98".parse::<Decimal>().unwrap()
        );
    }
}
