//! Payment reminders: one letter per customer and currency listing its overdue invoices,
//! at the next level (first, second, final), with optional default interest and a fixed fee.
//! Interest is simple interest per invoice: open amount × rate × days overdue / 365, rounded
//! per invoice in the currency. Neither the fee nor the interest changes an invoice: the
//! letter states them.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::CoreError;
use crate::money::Currency;

/// The last level: the final reminder before the matter goes further.
pub const FINAL_LEVEL: u8 = 3;

/// Days the customer is given from the reminder's date.
pub const DAYS_TO_PAY: u64 = 7;

/// An overdue invoice as a reminder sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Overdue {
    pub invoice_id: i64,
    pub number: String,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    pub open: Decimal,
    /// The highest level it was reminded at before (0: never).
    pub reminded_level: u8,
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct ReminderLine {
    pub invoice_id: i64,
    pub number: String,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    pub days_overdue: i64,
    pub open: Decimal,
    pub interest: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct ReminderPlan {
    pub level: u8,
    pub date: NaiveDate,
    pub pay_by: NaiveDate,
    pub currency: Currency,
    pub lines: Vec<ReminderLine>,
    pub open: Decimal,
    pub interest: Decimal,
    pub interest_percent: Decimal,
    pub fee: Decimal,
    /// Open + interest + fee: what the letter asks for.
    pub total: Decimal,
}

/// The reminder for `overdue` on `date`: the level after the highest one any of them had,
/// at most the final one. Refused with a sentence when nothing is overdue, or the fee or
/// rate is out of range.
pub fn plan(
    overdue: &[Overdue],
    date: NaiveDate,
    currency: Currency,
    fee: Decimal,
    interest_percent: Decimal,
) -> Result<ReminderPlan, CoreError> {
    if !(Decimal::ZERO..=Decimal::from(1000)).contains(&fee) {
        return Err(CoreError::validation(
            "fee",
            "The reminder fee must be from 0 to 1,000.",
        ));
    }
    if !(Decimal::ZERO..=Decimal::from(30)).contains(&interest_percent) {
        return Err(CoreError::validation(
            "interest_percent",
            "The interest rate must be from 0 to 30 % a year.",
        ));
    }
    let due: Vec<&Overdue> = overdue
        .iter()
        .filter(|o| o.due_date < date && o.open > Decimal::ZERO)
        .collect();
    if due.is_empty() {
        return Err(CoreError::validation(
            "invoices",
            "Nothing is overdue for this customer: there is nothing to remind.",
        ));
    }
    let level = due
        .iter()
        .map(|o| o.reminded_level)
        .max()
        .unwrap_or(0)
        .saturating_add(1)
        .min(FINAL_LEVEL);
    let lines: Vec<ReminderLine> = due
        .iter()
        .map(|o| {
            let days = (date - o.due_date).num_days();
            let interest = currency.round(
                o.open * interest_percent / Decimal::ONE_HUNDRED * Decimal::from(days)
                    / Decimal::from(365),
            );
            ReminderLine {
                invoice_id: o.invoice_id,
                number: o.number.clone(),
                issue_date: o.issue_date,
                due_date: o.due_date,
                days_overdue: days,
                open: o.open,
                interest,
            }
        })
        .collect();
    let open: Decimal = lines.iter().map(|l| l.open).sum();
    let interest: Decimal = lines.iter().map(|l| l.interest).sum();
    let fee = currency.round(fee);
    Ok(ReminderPlan {
        level,
        date,
        pay_by: date + chrono::Days::new(DAYS_TO_PAY),
        currency,
        lines,
        open,
        interest,
        interest_percent,
        fee,
        total: open + interest + fee,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn overdue(due: &str, open: &str, level: u8) -> Overdue {
        Overdue {
            invoice_id: 1,
            number: "INV-1".into(),
            issue_date: day("2026-09-01"),
            due_date: day(due),
            open: open.parse().unwrap(),
            reminded_level: level,
        }
    }

    #[test]
    fn levels_rise_to_the_final_one_and_interest_is_simple_per_invoice() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        let p = plan(
            &[
                overdue("2026-10-01", "1000.00", 0),
                overdue("2026-11-01", "333.33", 1),
            ],
            day("2026-11-27"),
            Currency::EUR,
            d("5"),
            d("9.12"),
        )
        .unwrap();
        assert_eq!(p.level, 2, "one was reminded once already");
        // 1000 × 9.12 % × 57 / 365 = 14.2421… → 14.24; 333.33 × 9.12 % × 26 / 365 = 2.1654… → 2.17
        assert_eq!(p.lines[0].days_overdue, 57);
        assert_eq!(p.lines[0].interest, d("14.24"));
        assert_eq!(p.lines[1].interest, d("2.17"));
        assert_eq!(p.total, d("1333.33") + d("16.41") + d("5.00"));
        assert_eq!(p.pay_by, day("2026-12-04"));
        let last = plan(
            &[overdue("2026-10-01", "10", 3)],
            day("2026-11-27"),
            Currency::EUR,
            d("0"),
            d("0"),
        )
        .unwrap();
        assert_eq!(last.level, FINAL_LEVEL, "never beyond the final reminder");
        assert_eq!(last.total, d("10"));
        // Yen: interest in whole units.
        let yen = plan(
            &[overdue("2026-10-01", "100000", 0)],
            day("2026-11-27"),
            Currency::parse("JPY").unwrap(),
            d("0"),
            d("5"),
        )
        .unwrap();
        assert_eq!(yen.lines[0].interest, d("781"));
    }

    #[test]
    fn nothing_due_and_odd_terms_are_refused() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        let today = day("2026-11-27");
        // Due today is not overdue; paid is not open.
        for o in [
            overdue("2026-11-27", "10", 0),
            overdue("2026-10-01", "0", 0),
        ] {
            let err = plan(&[o], today, Currency::EUR, d("0"), d("0")).unwrap_err();
            assert!(
                err.message.contains("Nothing is overdue"),
                "{}",
                err.message
            );
        }
        let o = [overdue("2026-10-01", "10", 0)];
        assert_eq!(
            plan(&o, today, Currency::EUR, d("-1"), d("0"))
                .unwrap_err()
                .field
                .as_deref(),
            Some("fee")
        );
        assert_eq!(
            plan(&o, today, Currency::EUR, d("0"), d("31"))
                .unwrap_err()
                .field
                .as_deref(),
            Some("interest_percent")
        );
    }
}
