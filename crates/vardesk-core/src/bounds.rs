//! The bounds every input lives within (DOMAIN.md §6.1 "Bounds"): counts 0–1,000,000,
//! amounts, prices and coefficients with at most 12 digits before the decimal mark. Kept in
//! the engine so that every door (window, file, CLI, `calc`) refuses the same inputs.

use rust_decimal::Decimal;

pub const MAX_COUNT: u32 = 1_000_000;
pub const MAX_COUNT_TEXT: &str = "1,000,000";

/// The most days of payment terms a customer or the settings can give.
pub const MAX_PAYMENT_TERMS_DAYS: u32 = 365;

/// A count typed in a form or read from a file (mailboxes, sites, seats…): a whole number
/// from `min` to 1,000,000, or the one sentence every form says when it is not.
pub fn count(label: &str, text: &str, min: u32) -> Result<u32, String> {
    let t = text.trim();
    t.parse::<u32>()
        .ok()
        .filter(|n| (min..=MAX_COUNT).contains(n))
        .ok_or_else(|| {
            let shown = if t.is_empty() { "(empty)" } else { t };
            format!("{label} \"{shown}\" must be a whole number from {min} to {MAX_COUNT_TEXT}.")
        })
}

/// Payment terms: a whole number of days, 0–365 (customers and the settings alike).
pub fn payment_terms_days(text: &str) -> Result<u32, String> {
    let t = text.trim();
    t.parse::<u32>()
        .ok()
        .filter(|d| *d <= MAX_PAYMENT_TERMS_DAYS)
        .ok_or_else(|| {
            format!(
                "Payment terms \"{t}\" must be a whole number of days, 0–{MAX_PAYMENT_TERMS_DAYS}."
            )
        })
}

/// At most 12 digits before the decimal mark, either sign.
pub fn amount_in_range(value: Decimal) -> bool {
    value.abs() < Decimal::from(1_000_000_000_000i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_payment_terms_say_one_sentence_each() {
        assert_eq!(count("Sites", " 3 ", 0), Ok(3));
        assert_eq!(count("Sites", "1000000", 0), Ok(1_000_000));
        let over = count("Sites", "1000001", 0).unwrap_err();
        assert_eq!(
            over,
            "Sites \"1000001\" must be a whole number from 0 to 1,000,000."
        );
        assert_eq!(
            count("Sites", "-1", 0).unwrap_err(),
            over.replace("1000001", "-1")
        );
        assert!(count("Users", "0", 1).unwrap_err().contains("from 1 to"));
        assert!(count("Users", "", 1).unwrap_err().contains("\"(empty)\""));
        assert_eq!(payment_terms_days("30"), Ok(30));
        assert_eq!(payment_terms_days("0"), Ok(0));
        assert_eq!(
            payment_terms_days("366").unwrap_err(),
            "Payment terms \"366\" must be a whole number of days, 0–365."
        );
        assert!(payment_terms_days("1.5").is_err());
    }

    #[test]
    fn twelve_digits_pass_thirteen_do_not() {
        assert!(amount_in_range(Decimal::new(99_999_999_999_999, 2)));
        assert!(!amount_in_range(Decimal::from(1_000_000_000_000i64)));
        assert!(!amount_in_range(Decimal::from(-1_000_000_000_000i64)));
        assert!(!amount_in_range(Decimal::MAX));
    }
}
