//! The bounds every input lives within (DOMAIN.md §6.1 "Bounds"): counts 0–1,000,000,
//! amounts, prices and coefficients with at most 12 digits before the decimal mark. Kept in
//! the engine so that every door (window, file, CLI, `calc`) refuses the same inputs.

use rust_decimal::Decimal;

pub const MAX_COUNT: u32 = 1_000_000;
pub const MAX_COUNT_TEXT: &str = "1,000,000";

/// At most 12 digits before the decimal mark, either sign.
pub fn amount_in_range(value: Decimal) -> bool {
    value.abs() < Decimal::from(1_000_000_000_000i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twelve_digits_pass_thirteen_do_not() {
        assert!(amount_in_range(Decimal::new(99_999_999_999_999, 2)));
        assert!(!amount_in_range(Decimal::from(1_000_000_000_000i64)));
        assert!(!amount_in_range(Decimal::from(-1_000_000_000_000i64)));
        assert!(!amount_in_range(Decimal::MAX));
    }
}
