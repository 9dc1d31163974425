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
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, specta::Type,
)]
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
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, specta::Type,
)]
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

/// The term holding `today` of a subscription whose stored term runs `start`..=`end`: each
/// renewal starts the day after the last term ends and runs a full `term` (the stored term
/// may lag when no billing run has renewed it yet). A term that has not started, or that
/// holds `today`, is itself.
pub fn current_term(
    start: NaiveDate,
    end: NaiveDate,
    term: Term,
    today: NaiveDate,
) -> (NaiveDate, NaiveDate) {
    let (mut start, mut end) = (start, end);
    while end < today {
        let Some(next) = end.succ_opt() else { break };
        start = next;
        end = term_end(next, term);
    }
    (start, end)
}

/// The term holding `day`, before or after the stored one (`start`..=`end`): earlier terms
/// are a full term each, ending the day before the next one starts.
pub fn term_holding(
    start: NaiveDate,
    end: NaiveDate,
    term: Term,
    day: NaiveDate,
) -> (NaiveDate, NaiveDate) {
    let (mut start, mut end) = (start, end);
    while day < start {
        let Some(previous_end) = start.pred_opt() else {
            break;
        };
        end = previous_end;
        start = start
            .checked_sub_months(Months::new(term.months()))
            .unwrap_or(NaiveDate::MIN);
    }
    current_term(start, end, term, day)
}

/// A new licence subscription's first term: to its natural end, to a calendar month's end,
/// or to the end of another subscription of the customer (its id).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CoTermChoice {
    MonthEnd,
    Subscription(i64),
}

/// A licence subscription's NCE terms as validated from a form or the command line.
#[derive(Debug, Clone, PartialEq)]
pub struct Licence {
    pub term: Term,
    pub billing: Billing,
    pub coterm: Option<CoTermChoice>,
    pub auto_renew: bool,
    pub ms_subscription_id: String,
    pub ms_product_id: String,
    pub ms_sku_id: String,
}

impl Billing {
    pub fn as_str(self) -> &'static str {
        match self {
            Billing::Monthly => "monthly",
            Billing::Annual => "annual",
            Billing::Upfront => "upfront",
        }
    }

    /// The billing frequencies Microsoft offers for a term: a month is billed monthly; a
    /// year monthly or annually (paid upfront, stored as `annual`); three years monthly,
    /// annually or upfront for the whole term.
    pub fn for_term(self, term: Term) -> Result<Billing, CoreError> {
        match (term, self) {
            (Term::P1M, Billing::Monthly) => Ok(Billing::Monthly),
            (Term::P1M, _) => Err(CoreError::validation(
                "billing",
                "A one-month term (P1M) is billed monthly.",
            )),
            (Term::P1Y, Billing::Upfront) => Ok(Billing::Annual),
            (_, b) => Ok(b),
        }
    }

    /// Months between two charges of the partner's bill for this frequency and term.
    pub fn months(self, term: Term) -> u32 {
        match self {
            Billing::Monthly => 1,
            Billing::Annual => 12,
            Billing::Upfront => term.months(),
        }
    }
}

/// A Microsoft GUID (subscription or tenant id) in its canonical form: 32 hex digits in
/// 8-4-4-4-12 groups, lower case; braces and missing hyphens are accepted.
pub fn guid(text: &str) -> Option<String> {
    let t = text.trim().trim_start_matches('{').trim_end_matches('}');
    let hex: String = t.chars().filter(|c| *c != '-').collect();
    let groups_ok = !t.contains('-') || t.split('-').map(str::len).eq([8, 4, 4, 4, 12]);
    if hex.len() != 32 || !groups_ok || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let h = hex.to_ascii_lowercase();
    Some(format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    ))
}

/// A product or SKU id as Partner Center writes them (`CFQ7TTC0LH18`, `0001`): letters,
/// digits and `-`, at most 64; upper-cased so `cfq7ttc0lh18` matches.
pub fn catalog_id(text: &str) -> Option<String> {
    let t = text.trim();
    (t.len() <= 64 && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        .then(|| t.to_ascii_uppercase())
}

/// The licence fields of a subscription form, validated; `None` when no term is given (a
/// plain subscription, §5). The billing frequency defaults to the customer's interval.
pub fn validate_licence(
    term: &str,
    billing: &str,
    interval: &str,
    coterm_with: &str,
    auto_renew: bool,
    ids: [&str; 3],
    errors: &mut Vec<crate::FieldError>,
) -> Option<Licence> {
    let mut fail = |field: &str, message: String| {
        errors.push(crate::FieldError {
            field: field.into(),
            message,
        })
    };
    let [ms_subscription_id, ms_product_id, ms_sku_id] = ids;
    if term.trim().is_empty() {
        for (field, value) in [
            ("billing", billing),
            ("coterm_with", coterm_with),
            ("ms_subscription_id", ms_subscription_id),
        ] {
            if !value.trim().is_empty() {
                fail(
                    field,
                    "Only a Microsoft licence has this; choose its term (P1M, P1Y or P3Y) too."
                        .into(),
                );
            }
        }
        return None;
    }
    let term = Term::parse(term).map_err(|e| fail("term", e.message)).ok();
    // The billing frequency defaults to how the customer is billed (once per term: upfront).
    let billing_text = match (billing.trim(), interval) {
        ("", "triennial") => "upfront",
        ("", _) => interval,
        (typed, _) => typed,
    };
    let billing = Billing::parse(billing_text)
        .map_err(|e| fail("billing", e.message))
        .ok();
    let billing = match (term, billing) {
        (Some(t), Some(b)) => b.for_term(t).map_err(|e| fail("billing", e.message)).ok(),
        _ => None,
    };
    let coterm = match coterm_with.trim() {
        "" => None,
        "month_end" | "month-end" => Some(CoTermChoice::MonthEnd),
        id => match id.parse::<i64>() {
            Ok(n) if n > 0 => Some(CoTermChoice::Subscription(n)),
            _ => {
                fail(
                    "coterm_with",
                    format!("\"{id}\" is neither a subscription to end with nor month_end."),
                );
                None
            }
        },
    };
    let ms_subscription_id = match ms_subscription_id.trim() {
        "" => Some(String::new()),
        text => {
            let id = guid(text);
            if id.is_none() {
                fail(
                    "ms_subscription_id",
                    format!(
                        "\"{text}\" is not a Microsoft subscription id: 32 hexadecimal digits \
                         like 4c5a3b2e-1f0d-4e9c-8b7a-6d5c4b3a2f10."
                    ),
                );
            }
            id
        }
    };
    let mut id_of = |field: &str, label: &str, text: &str| {
        let id = catalog_id(text);
        if id.is_none() {
            fail(
                field,
                format!("{label} has letters, digits and - only (at most 64), like CFQ7TTC0LH18."),
            );
        }
        id
    };
    let ms_product_id = id_of("ms_product_id", "A product id", ms_product_id);
    let ms_sku_id = id_of("ms_sku_id", "A SKU id", ms_sku_id);
    Some(Licence {
        term: term?,
        billing: billing?,
        coterm,
        auto_renew,
        ms_subscription_id: ms_subscription_id?,
        ms_product_id: ms_product_id?,
        ms_sku_id: ms_sku_id?,
    })
}

/// Seats added to a licence on one day, and how many of them are still held.
#[derive(Debug, Clone, PartialEq)]
pub struct SeatBatch {
    pub id: i64,
    pub bought_on: NaiveDate,
    pub seats: Decimal,
}

/// What changing a licence from `current` to `wanted` seats on `today` does (§10).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SeatPlan {
    /// Seats bought today: a new batch.
    pub added: Decimal,
    /// Seats removed now, within their 7-day window: from a batch (its id) or from the
    /// seats bought or renewed with the term (`None`).
    pub removed: Vec<(Option<i64>, Decimal)>,
    /// The seats from the renewal on, when a reduction waits for it.
    pub at_renewal: Option<Decimal>,
}

impl SeatPlan {
    pub fn removed_now(&self) -> Decimal {
        self.removed.iter().map(|(_, n)| *n).sum()
    }
}

/// Plans a seat change: added seats are bought at once; a reduction takes seats whose 7-day
/// window is still open (the newest batch first, then the term's own seats while the term
/// is 7 days old at most) and leaves the rest for the renewal.
pub fn plan_seats(
    current: Decimal,
    wanted: Decimal,
    today: NaiveDate,
    term_start: NaiveDate,
    batches: &[SeatBatch],
) -> SeatPlan {
    if wanted >= current {
        return SeatPlan {
            added: wanted - current,
            ..SeatPlan::default()
        };
    }
    let mut left = current - wanted;
    let mut removed = Vec::new();
    let mut newest_first: Vec<&SeatBatch> = batches
        .iter()
        .filter(|b| b.seats > Decimal::ZERO && within_cancel_window(b.bought_on, today))
        .collect();
    newest_first.sort_by_key(|b| std::cmp::Reverse((b.bought_on, b.id)));
    for b in newest_first {
        if left.is_zero() {
            break;
        }
        let take = left.min(b.seats);
        removed.push((Some(b.id), take));
        left -= take;
    }
    if !left.is_zero() && within_cancel_window(term_start, today) {
        let in_batches: Decimal = batches.iter().map(|b| b.seats).sum();
        let own = (current - in_batches).max(Decimal::ZERO);
        let take = left.min(own);
        if !take.is_zero() {
            removed.push((None, take));
            left -= take;
        }
    }
    SeatPlan {
        added: Decimal::ZERO,
        removed,
        at_renewal: (!left.is_zero()).then_some(wanted),
    }
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

    #[test]
    fn the_current_term_rolls_on_from_a_stored_one_across_year_ends() {
        let (s, e) = current_term(d("2024-12-15"), d("2025-12-14"), Term::P1Y, d("2026-11-28"));
        assert_eq!((s, e), (d("2025-12-15"), d("2026-12-14")));
        let (s, e) = current_term(d("2026-01-31"), d("2026-02-27"), Term::P1M, d("2026-03-01"));
        assert_eq!((s, e), (d("2026-02-28"), d("2026-03-27")));
        let stored = (d("2027-01-01"), d("2027-12-31"));
        assert_eq!(
            current_term(stored.0, stored.1, Term::P1Y, d("2026-11-28")),
            stored
        );
        assert_eq!(
            current_term(d("2026-11-15"), d("2027-03-31"), Term::P1Y, d("2027-04-01")),
            (d("2027-04-01"), d("2028-03-31")),
            "a co-termed first term renews for a full term"
        );
    }

    #[test]
    fn the_term_holding_a_day_may_be_before_the_stored_one() {
        let stored = (d("2026-12-15"), d("2027-12-14"));
        let holding = |day: &str| term_holding(stored.0, stored.1, Term::P1Y, d(day));
        assert_eq!(holding("2026-03-01"), (d("2025-12-15"), d("2026-12-14")));
        assert_eq!(holding("2027-03-01"), stored);
        assert_eq!(holding("2028-03-01"), (d("2027-12-15"), d("2028-12-14")));
    }

    #[test]
    fn guids_and_catalog_ids_are_read_as_partner_center_writes_them() {
        let id = "4c5a3b2e-1f0d-4e9c-8b7a-6d5c4b3a2f10";
        assert_eq!(guid(id).unwrap(), id);
        assert_eq!(guid("{4C5A3B2E-1F0D-4E9C-8B7A-6D5C4B3A2F10}").unwrap(), id);
        assert_eq!(guid("4c5a3b2e1f0d4e9c8b7a6d5c4b3a2f10").unwrap(), id);
        for bad in [
            "",
            "4c5a3b2e-1f0d-4e9c-8b7a-6d5c4b3a2f1",
            "4c5a3b2e1-f0d-4e9c-8b7a-6d5c4b3a2f10",
            "zc5a3b2e-1f0d-4e9c-8b7a-6d5c4b3a2f10",
            "4c5a3b2e-1f0d-4e9c-8b7a-6d5c4b3a2f10x",
        ] {
            assert_eq!(guid(bad), None, "{bad}");
        }
        assert_eq!(catalog_id(" cfq7ttc0lh18 ").unwrap(), "CFQ7TTC0LH18");
        assert_eq!(catalog_id("0001; DROP"), None);
    }

    #[test]
    fn a_licence_needs_a_term_its_billing_fits() {
        let mut errors = Vec::new();
        let ok = validate_licence(
            "p1y",
            "",
            "monthly",
            "month_end",
            true,
            ["", "cfq7ttc0lh18", "0001"],
            &mut errors,
        )
        .unwrap();
        assert!(errors.is_empty());
        assert_eq!(
            (ok.term, ok.billing, ok.coterm),
            (Term::P1Y, Billing::Monthly, Some(CoTermChoice::MonthEnd))
        );
        assert_eq!(ok.ms_product_id, "CFQ7TTC0LH18");
        let ok = validate_licence(
            "P1Y",
            "upfront",
            "annual",
            "12",
            false,
            ["", "", ""],
            &mut errors,
        )
        .unwrap();
        assert_eq!(
            (ok.billing, ok.coterm),
            (Billing::Annual, Some(CoTermChoice::Subscription(12)))
        );
        assert!(validate_licence(
            "P1M",
            "annual",
            "monthly",
            "",
            true,
            ["", "", ""],
            &mut errors
        )
        .is_none());
        assert!(
            validate_licence("P2Y", "", "monthly", "", true, ["x", "", ""], &mut errors).is_none()
        );
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["billing", "term", "ms_subscription_id"]);
        errors.clear();
        assert!(validate_licence(
            "",
            "monthly",
            "monthly",
            "",
            true,
            ["", "", ""],
            &mut errors
        )
        .is_none());
        assert_eq!(
            errors.len(),
            1,
            "a billing frequency without a term is refused"
        );
    }

    #[test]
    fn seats_go_within_their_window_and_the_rest_waits_for_the_renewal() {
        let batch = |id, day: &str, seats| SeatBatch {
            id,
            bought_on: d(day),
            seats: Decimal::from(seats),
        };
        let term_start = d("2026-10-01");
        let batches = [batch(1, "2026-11-18", 3), batch(2, "2026-11-20", 2)];
        let plan = plan_seats(
            Decimal::from(15),
            Decimal::from(18),
            d("2026-11-25"),
            term_start,
            &batches,
        );
        assert_eq!(
            plan,
            SeatPlan {
                added: Decimal::from(3),
                ..SeatPlan::default()
            }
        );
        // On the 26th only the batch of the 20th is inside its window: 2 now, 2 at renewal.
        let plan = plan_seats(
            Decimal::from(15),
            Decimal::from(11),
            d("2026-11-26"),
            term_start,
            &batches,
        );
        assert_eq!(plan.removed, [(Some(2), Decimal::from(2))]);
        assert_eq!(plan.at_renewal, Some(Decimal::from(11)));
        // On the 24th both batches are: the newest first.
        let plan = plan_seats(
            Decimal::from(15),
            Decimal::from(11),
            d("2026-11-24"),
            term_start,
            &batches,
        );
        assert_eq!(
            plan.removed,
            [(Some(2), Decimal::from(2)), (Some(1), Decimal::from(2))]
        );
        assert_eq!(plan.at_renewal, None);
        // The day after the 7th day the window has closed.
        let plan = plan_seats(
            Decimal::from(15),
            Decimal::from(14),
            d("2026-11-28"),
            term_start,
            &batches,
        );
        assert_eq!(
            (plan.removed_now(), plan.at_renewal),
            (Decimal::ZERO, Some(Decimal::from(14)))
        );
        let plan = plan_seats(
            Decimal::from(15),
            Decimal::from(14),
            d("2026-11-27"),
            term_start,
            &batches,
        );
        assert_eq!(plan.removed_now(), Decimal::ONE, "the 7th day after counts");
        // A term renewed or bought four days ago: its own seats may go too, even all of them.
        let plan = plan_seats(
            Decimal::from(10),
            Decimal::ZERO,
            d("2026-10-05"),
            term_start,
            &[],
        );
        assert_eq!(
            (plan.removed, plan.at_renewal),
            (vec![(None, Decimal::from(10))], None)
        );
    }
}
