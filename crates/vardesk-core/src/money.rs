//! Money, currencies and the one rounding rule (DOMAIN.md §1).

use std::fmt;
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::error::CoreError;

/// Active ISO 4217 codes whose minor unit is not 2.
const MINOR_UNITS_NOT_TWO: &[(&str, u32)] = &[
    ("BIF", 0),
    ("CLP", 0),
    ("DJF", 0),
    ("GNF", 0),
    ("ISK", 0),
    ("JPY", 0),
    ("KMF", 0),
    ("KRW", 0),
    ("PYG", 0),
    ("RWF", 0),
    ("UGX", 0),
    ("UYI", 0),
    ("VND", 0),
    ("VUV", 0),
    ("XAF", 0),
    ("XOF", 0),
    ("XPF", 0),
    ("BHD", 3),
    ("IQD", 3),
    ("JOD", 3),
    ("KWD", 3),
    ("LYD", 3),
    ("OMR", 3),
    ("TND", 3),
    ("CLF", 4),
    ("UYW", 4),
];

/// Every active ISO 4217 currency code (funds and precious metals excluded).
const ACTIVE_CODES: &str = "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD \
BND BOB BRL BSD BTN BWP BYN BZD CAD CDF CHF CLF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP \
ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD \
JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP \
MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD \
RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD \
TWD TZS UAH UGX USD UYI UYU UYW UZS VED VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG";

/// An ISO 4217 currency: its code and how many minor units it has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Currency {
    code: [u8; 3],
    minor_units: u32,
}

impl Currency {
    pub const EUR: Currency = Currency {
        code: *b"EUR",
        minor_units: 2,
    };

    /// Looks up an active ISO 4217 code (case-insensitive).
    pub fn parse(code: &str) -> Result<Currency, CoreError> {
        let upper = code.trim().to_ascii_uppercase();
        let known = upper.len() == 3 && ACTIVE_CODES.split_ascii_whitespace().any(|c| c == upper);
        if !known {
            return Err(CoreError::validation(
                "currency",
                format!("\"{}\" is not a known ISO 4217 currency code.", code.trim()),
            ));
        }
        let minor_units = MINOR_UNITS_NOT_TWO
            .iter()
            .find(|(c, _)| *c == upper)
            .map_or(2, |(_, units)| *units);
        let bytes = upper.as_bytes();
        Ok(Currency {
            code: [bytes[0], bytes[1], bytes[2]],
            minor_units,
        })
    }

    /// Every active ISO 4217 code, alphabetically.
    pub fn all_codes() -> impl Iterator<Item = &'static str> {
        ACTIVE_CODES.split_ascii_whitespace()
    }

    pub fn code(&self) -> &str {
        // Always three ASCII letters: built only by `parse`.
        std::str::from_utf8(&self.code).unwrap_or("XXX")
    }

    pub fn minor_units(&self) -> u32 {
        self.minor_units
    }

    /// The one money rounding: to this currency's minor units, midpoint away from zero.
    /// The result always carries exactly those decimals (927 EUR is 927.00).
    pub fn round(&self, amount: Decimal) -> Decimal {
        let mut rounded = round_dp(amount, self.minor_units);
        rounded.rescale(self.minor_units);
        rounded
    }

    /// Amount in minor units (cents) for storage; the amount must already be rounded.
    pub fn to_minor(&self, amount: Decimal) -> Result<i64, CoreError> {
        let scaled = self.round(amount) * Decimal::from(10i64.pow(self.minor_units));
        i64::try_from(scaled).map_err(|_| {
            CoreError::validation("amount", format!("{amount} is too large to store."))
        })
    }

    pub fn from_minor(&self, minor: i64) -> Decimal {
        Decimal::new(minor, self.minor_units)
    }

    /// The amount as a plain string with exactly the currency's decimals ("1234.50").
    pub fn format_plain(&self, amount: Decimal) -> String {
        let mut rounded = self.round(amount);
        rounded.rescale(self.minor_units);
        rounded.to_string()
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Currency {
    type Err = CoreError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Currency::parse(s)
    }
}

impl Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

/// A currency travels as its ISO code, a string, to the UI too.
impl specta::Type for Currency {
    fn definition(types: &mut specta::Types) -> specta::datatype::DataType {
        String::definition(types)
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let code = String::deserialize(d)?;
        Currency::parse(&code).map_err(serde::de::Error::custom)
    }
}

/// Rounds to `dp` decimals, midpoint away from zero. Every rounding in VarDesk goes through
/// here (money through `Currency::round`; hours, GB and percentages directly).
pub fn round_dp(value: Decimal, dp: u32) -> Decimal {
    value.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
}

/// Parses a decimal the way it travels in JSON and files: `-?digits[.digits]`.
/// Exponents, `NaN`, signs in odd places, thousands separators and more than 28
/// significant digits are refused.
pub fn parse_decimal(field: &str, text: &str) -> Result<Decimal, CoreError> {
    let t = text.trim();
    let digits = t.strip_prefix('-').unwrap_or(t);
    let (int_part, frac_part) = match digits.split_once('.') {
        Some((i, f)) => (i, f),
        None => (digits, ""),
    };
    let well_formed = !int_part.is_empty()
        && int_part.bytes().all(|b| b.is_ascii_digit())
        && frac_part.bytes().all(|b| b.is_ascii_digit())
        && !(digits.contains('.') && frac_part.is_empty());
    let significant =
        int_part.trim_start_matches('0').len() + frac_part.trim_end_matches('0').len();
    if !well_formed {
        return Err(CoreError::validation(
            field,
            format!("\"{t}\" is not a number; write it like 1234.50."),
        ));
    }
    if significant > 28 || frac_part.len() > 28 {
        return Err(CoreError::validation(
            field,
            format!("\"{t}\" has too many digits."),
        ));
    }
    Decimal::from_str(t)
        .map_err(|_| CoreError::validation(field, format!("\"{t}\" is not a number.")))
}

/// Parses a number typed by a user or found in a spreadsheet: `.` or `,` as the decimal
/// mark, thousands grouped with the other one (`1,234.50`, `1.234,50`), or a lone
/// separator taken as the decimal mark (`12,5`).
pub fn parse_user_decimal(field: &str, text: &str) -> Result<Decimal, CoreError> {
    let t = text.trim();
    let normalized = normalize_separators(t).ok_or_else(|| {
        CoreError::validation(
            field,
            format!("\"{t}\" is not a number; write it like 1234.50."),
        )
    })?;
    parse_decimal(field, &normalized)
}

/// Like `parse_user_decimal`, for what a person types into a form: a lone separator
/// followed by exactly three digits (`1,500`, `2.500`) is refused, because it means 1500 in
/// one locale and 1.5 in another. `0.335` and `1,5` stay unambiguous.
pub fn parse_typed_decimal(field: &str, text: &str) -> Result<Decimal, CoreError> {
    let t = text.trim();
    let digits = t.strip_prefix('-').unwrap_or(t);
    let separators: Vec<usize> = digits.match_indices([',', '.']).map(|(i, _)| i).collect();
    if let [at] = separators[..] {
        let (int, frac) = (&digits[..at], &digits[at + 1..]);
        let ambiguous = frac.len() == 3
            && frac.bytes().all(|b| b.is_ascii_digit())
            && !int.is_empty()
            && int.bytes().all(|b| b.is_ascii_digit())
            && int.trim_start_matches('0') == int;
        if ambiguous {
            return Err(CoreError::validation(
                field,
                format!(
                    "\"{t}\" could mean {int}{frac} or {int}.{frac}; write it without the separator \
                     or with a different number of decimals."
                ),
            ));
        }
    }
    parse_user_decimal(field, t)
}

/// Turns `1.234,5` / `1,234.5` / `12,5` / ` 1 234,5` into `1234.5`; `None` when ambiguous.
fn normalize_separators(t: &str) -> Option<String> {
    let cleaned: String = t
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\''))
        .collect();
    let commas = cleaned.matches(',').count();
    let dots = cleaned.matches('.').count();
    let decimal_mark = match (commas, dots) {
        (0, 0) => None,
        (0, 1) => Some('.'),
        (1, 0) => Some(','),
        (0, _) | (_, 0) => None, // only grouping marks: "1.234.567"
        _ => {
            // Both present: the last one is the decimal mark and must occur once.
            let last = cleaned
                .rfind([',', '.'])
                .map(|i| cleaned.as_bytes()[i] as char)?;
            let count = if last == ',' { commas } else { dots };
            if count != 1 {
                return None;
            }
            Some(last)
        }
    };
    let mut out = String::with_capacity(cleaned.len());
    for c in cleaned.chars() {
        match c {
            ',' | '.' if Some(c) == decimal_mark => out.push('.'),
            ',' | '.' => {}
            _ => out.push(c),
        }
    }
    // Grouping marks ("1.234.567", the "1,234" of "1,234.50"): each group after the first
    // must have 3 digits, so "1.2.3,4" is refused rather than read as 123.4.
    let integer_part = match decimal_mark {
        Some(mark) => cleaned
            .rsplit_once(mark)
            .map_or(cleaned.as_str(), |(int, _)| int),
        None => cleaned.as_str(),
    };
    let groups: Vec<&str> = integer_part.split([',', '.']).collect();
    if groups.len() > 1 && groups.iter().skip(1).any(|g| g.len() != 3) {
        return None;
    }
    Some(out)
}

/// A decimal as it leaves the engine: no trailing zeros beyond what was meaningful.
pub fn plain(value: Decimal) -> String {
    value.normalize().to_string()
}

/// Serde helpers: decimals cross JSON as strings, strictly parsed.
pub mod serde_str {
    use super::*;

    pub fn serialize<S: serde::Serializer>(v: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&v.to_string())
    }

    /// A decimal string, or a whole JSON number (never a float: floats are not exact).
    #[derive(Deserialize, specta::Type)]
    #[serde(untagged)]
    enum Wire {
        Text(String),
        Whole(i64),
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        match Wire::deserialize(d)? {
            Wire::Text(text) => {
                parse_decimal("value", &text).map_err(|e| serde::de::Error::custom(e.message))
            }
            Wire::Whole(n) => Ok(Decimal::from(n)),
        }
    }

    pub mod option {
        use super::*;
        pub fn serialize<S: serde::Serializer>(
            v: &Option<Decimal>,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            match v {
                Some(v) => s.serialize_str(&v.to_string()),
                None => s.serialize_none(),
            }
        }
        pub fn deserialize<'de, D: serde::Deserializer<'de>>(
            d: D,
        ) -> Result<Option<Decimal>, D::Error> {
            match Option::<Wire>::deserialize(d)? {
                Some(Wire::Text(text)) => parse_decimal("value", &text)
                    .map(Some)
                    .map_err(|e| serde::de::Error::custom(e.message)),
                Some(Wire::Whole(n)) => Ok(Some(Decimal::from(n))),
                None => Ok(None),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn rounding_is_midpoint_away_from_zero() {
        let eur = Currency::parse("eur").unwrap();
        assert_eq!(eur.round(d("2.345")), d("2.35"));
        assert_eq!(eur.round(d("-2.345")), d("-2.35"));
        assert_eq!(eur.round(d("2.344")), d("2.34"));
        assert_eq!(Currency::parse("JPY").unwrap().round(d("12.5")), d("13"));
        assert_eq!(
            Currency::parse("BHD").unwrap().round(d("1.0005")),
            d("1.001")
        );
    }

    #[test]
    fn currencies_know_their_minor_units() {
        assert_eq!(Currency::parse("KWD").unwrap().minor_units(), 3);
        assert_eq!(Currency::parse("ISK").unwrap().minor_units(), 0);
        assert_eq!(Currency::parse("CHF").unwrap().minor_units(), 2);
        assert!(Currency::parse("XYZ").is_err());
        assert!(Currency::parse("EU").is_err());
    }

    #[test]
    fn minor_units_round_trip() {
        let eur = Currency::EUR;
        assert_eq!(eur.to_minor(d("1234.5")).unwrap(), 123450);
        assert_eq!(eur.from_minor(123450), d("1234.50"));
        assert_eq!(eur.format_plain(d("7")), "7.00");
    }

    #[test]
    fn strict_parsing_refuses_odd_forms() {
        for bad in [
            "1e5", "NaN", "1,2,3", "--5", "", "1.", ".5", "+5", "1 000", "inf",
        ] {
            assert!(parse_decimal("x", bad).is_err(), "{bad} accepted");
        }
        assert!(parse_decimal("x", "1234567890123456789012345678901").is_err());
        assert_eq!(parse_decimal("x", "-12.50").unwrap(), d("-12.5"));
    }

    #[test]
    fn typed_numbers_refuse_what_could_be_a_thousands_separator() {
        assert!(parse_typed_decimal("x", "1,500").is_err());
        assert!(parse_typed_decimal("x", "2.500").is_err());
        assert_eq!(parse_typed_decimal("x", "0.335").unwrap(), d("0.335"));
        assert_eq!(parse_typed_decimal("x", "1,5").unwrap(), d("1.5"));
        assert_eq!(parse_typed_decimal("x", "1.500,00").unwrap(), d("1500"));
        assert_eq!(parse_typed_decimal("x", "1500").unwrap(), d("1500"));
        assert_eq!(parse_typed_decimal("x", "12.3450").unwrap(), d("12.345"));
    }

    #[test]
    fn user_numbers_accept_both_decimal_marks() {
        assert_eq!(parse_user_decimal("x", "1,234.50").unwrap(), d("1234.5"));
        assert_eq!(parse_user_decimal("x", "1.234,50").unwrap(), d("1234.5"));
        assert_eq!(parse_user_decimal("x", "12,5").unwrap(), d("12.5"));
        assert_eq!(parse_user_decimal("x", "1.234.567").unwrap(), d("1234567"));
        assert!(parse_user_decimal("x", "1,2,3").is_err());
        assert!(parse_user_decimal("x", "1e5").is_err());
    }
}
