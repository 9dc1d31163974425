//! EU VAT identification numbers (DOMAIN.md §9): the format of every member state (Greece
//! as `EL`, Northern Ireland as `XI`) and the check digit where the state publishes its
//! algorithm (DE, AT, BE, FR, IT, ES, PL, NL in both its forms). A wrong number is refused
//! with a sentence naming the country's format.

use crate::error::CoreError;

/// A VAT ID as checked: the two-letter prefix and the number after it, without spaces,
/// dots or dashes (`DE123456788` → `DE` + `123456788`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VatId {
    pub prefix: String,
    pub number: String,
}

impl std::fmt::Display for VatId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}{}", self.prefix, self.number)
    }
}

/// One character class of a format: a digit, a letter, either, or one literal character.
#[derive(Clone, Copy)]
enum Class {
    Digit,
    Letter,
    Alnum,
    Is(u8),
}

/// The formats of each prefix (one of them must match), and how they read to a person.
fn formats(prefix: &str) -> Option<(Vec<Vec<Class>>, &'static str)> {
    use Class::*;
    let d = |n: usize| vec![Digit; n];
    let join = |parts: &[Vec<Class>]| parts.concat();
    let one = |c: Class| vec![c];
    Some(match prefix {
        "AT" => (vec![join(&[one(Is(b'U')), d(8)])], "U followed by 8 digits"),
        "BE" => (vec![d(10)], "10 digits, starting with 0 or 1"),
        "BG" => (vec![d(9), d(10)], "9 or 10 digits"),
        "CY" => (vec![join(&[d(8), one(Letter)])], "8 digits and a letter"),
        "CZ" => (vec![d(8), d(9), d(10)], "8, 9 or 10 digits"),
        "DE" => (vec![d(9)], "9 digits"),
        "DK" => (vec![d(8)], "8 digits"),
        "EE" => (vec![d(9)], "9 digits"),
        "EL" => (vec![d(9)], "9 digits"),
        "ES" => (
            vec![join(&[one(Alnum), d(7), one(Alnum)])],
            "a letter or digit, 7 digits, and a letter or digit",
        ),
        "FI" => (vec![d(8)], "8 digits"),
        "FR" => (
            vec![join(&[one(Alnum), one(Alnum), d(9)])],
            "2 letters or digits and the 9-digit SIREN",
        ),
        "HR" => (vec![d(11)], "11 digits"),
        "HU" => (vec![d(8)], "8 digits"),
        "IE" => (
            vec![
                join(&[d(7), one(Letter)]),
                join(&[d(7), one(Letter), one(Letter)]),
                join(&[one(Digit), one(Alnum), d(5), one(Letter)]),
            ],
            "7 digits and 1 or 2 letters",
        ),
        "IT" => (vec![d(11)], "11 digits"),
        "LT" => (vec![d(9), d(12)], "9 or 12 digits"),
        "LU" => (vec![d(8)], "8 digits"),
        "LV" => (vec![d(11)], "11 digits"),
        "MT" => (vec![d(8)], "8 digits"),
        "NL" => (
            vec![join(&[d(9), one(Is(b'B')), d(2)])],
            "9 digits, B and 2 digits",
        ),
        "PL" => (vec![d(10)], "10 digits"),
        "PT" => (vec![d(9)], "9 digits"),
        "RO" => ((2..=10).map(d).collect(), "2 to 10 digits"),
        "SE" => (vec![d(12)], "12 digits ending in 01"),
        "SI" => (vec![d(8)], "8 digits"),
        "SK" => (vec![d(10)], "10 digits"),
        "XI" => (
            vec![
                d(9),
                d(12),
                join(&[one(Is(b'G')), one(Is(b'D')), d(3)]),
                join(&[one(Is(b'H')), one(Is(b'A')), d(3)]),
            ],
            "9 or 12 digits, or GD or HA and 3 digits",
        ),
        _ => return None,
    })
}

fn matches(format: &[Class], text: &[u8]) -> bool {
    format.len() == text.len()
        && format.iter().zip(text).all(|(class, c)| match class {
            Class::Digit => c.is_ascii_digit(),
            Class::Letter => c.is_ascii_uppercase(),
            Class::Alnum => c.is_ascii_digit() || c.is_ascii_uppercase(),
            Class::Is(x) => c == x,
        })
}

fn digits(text: &str) -> Vec<u32> {
    text.bytes()
        .map(|b| u32::from(b.wrapping_sub(b'0')))
        .collect()
}

/// The sum of a number's decimal digits (for the doubling schemes).
fn digit_sum(n: u32) -> u32 {
    n / 10 + n % 10
}

/// The sum of digits where every other one is doubled (and its digits summed), starting
/// with the first when `double_first` — the Luhn-style step of the AT, IT and ES schemes.
fn alternating_sum(d: &[u32], double_first: bool) -> u32 {
    d.iter()
        .enumerate()
        .map(|(i, x)| {
            if (i % 2 == 0) == double_first {
                digit_sum(2 * x)
            } else {
                *x
            }
        })
        .sum()
}

/// Whether the check digit (or key) holds, for the states that publish one.
fn check_digit_holds(prefix: &str, number: &str) -> bool {
    let d = digits(number);
    match prefix {
        // ISO 7064 MOD 11,10.
        "DE" => {
            let mut product = 10;
            for digit in &d[..8] {
                let mut sum = (digit + product) % 10;
                if sum == 0 {
                    sum = 10;
                }
                product = (2 * sum) % 11;
            }
            (11 - product) % 10 == d[8]
        }
        "AT" => {
            let d = digits(&number[1..]);
            (10 - (alternating_sum(&d[..7], false) + 4) % 10) % 10 == d[7]
        }
        "BE" => {
            let body: u64 = number[..8].parse().unwrap_or(0);
            let check: u64 = number[8..].parse().unwrap_or(0);
            number.starts_with(['0', '1']) && 97 - body % 97 == check
        }
        "FR" => {
            let key = &number[..2];
            let siren: u64 = number[2..].parse().unwrap_or(0);
            match key.parse::<u64>() {
                Ok(k) => (12 + 3 * (siren % 97)) % 97 == k,
                // Keys with letters (newer numbers) have no published algorithm.
                Err(_) => true,
            }
        }
        // Luhn over all 11 digits.
        "IT" => (10 - alternating_sum(&d[..10], false) % 10) % 10 == d[10],
        "PL" => {
            const WEIGHTS: [u32; 9] = [6, 5, 7, 2, 3, 4, 5, 6, 7];
            let sum: u32 = WEIGHTS.iter().zip(&d).map(|(w, x)| w * x).sum();
            sum % 11 == d[9]
        }
        "NL" => nl_holds(number),
        "ES" => es_holds(number),
        "SE" => number.ends_with("01"),
        _ => true,
    }
}

/// NL: the mod-97 form of the whole `NL…B..` id (since 2020), or the older 11-test of the
/// 9 digits.
fn nl_holds(number: &str) -> bool {
    let as_digits: String = format!("NL{number}")
        .bytes()
        .map(|b| {
            if b.is_ascii_uppercase() {
                (u32::from(b - b'A') + 10).to_string()
            } else {
                char::from(b).to_string()
            }
        })
        .collect();
    let mod97 = as_digits
        .bytes()
        .fold(0u32, |acc, b| (acc * 10 + u32::from(b - b'0')) % 97);
    let d = digits(&number[..9]);
    let eleven: u32 = (0..8).map(|i| d[i] * (9 - i as u32)).sum();
    mod97 == 1 || (eleven % 11 == d[8] && eleven % 11 != 10)
}

/// ES: a company's CIF (letter, 7 digits, control digit or letter) or a person's DNI/NIE
/// (8 digits or X/Y/Z and 7 digits, then a letter).
fn es_holds(number: &str) -> bool {
    let bytes = number.as_bytes();
    let first = bytes[0];
    let last = bytes[8];
    if first.is_ascii_digit() || matches!(first, b'X' | b'Y' | b'Z') {
        let lead = match first {
            b'X' => '0',
            b'Y' => '1',
            b'Z' => '2',
            d => char::from(d),
        };
        let n: u32 = format!("{lead}{}", &number[1..8]).parse().unwrap_or(0);
        return b"TRWAGMYFPDXBNJZSQVHLCKE"[(n % 23) as usize] == last;
    }
    let control = (10 - alternating_sum(&digits(&number[1..8]), true) % 10) % 10;
    last == b'0' + control as u8 || last == b"JABCDEFGHI"[control as usize]
}

/// Whether `text` starts with a VAT ID prefix of a member state (`EL` for Greece, or `XI`).
pub fn has_member_state_prefix(text: &str) -> bool {
    let upper: String = text
        .trim()
        .chars()
        .take(2)
        .flat_map(char::to_uppercase)
        .collect();
    upper.len() == 2 && formats(&upper).is_some()
}

/// Checks a VAT ID as typed (`de 123 456 788`, `DE-123.456.788`): the prefix of a member
/// state (or `XI`), the state's format, and its check digit where one is published.
pub fn check_vat_id(text: &str) -> Result<VatId, CoreError> {
    let compact: String = text
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '\u{a0}'))
        .flat_map(char::to_uppercase)
        .collect();
    let refuse = |why: String| CoreError::validation("vat_id", why);
    if compact.len() < 4 || !compact.is_ascii() {
        return Err(refuse(format!(
            "\"{}\" is not a VAT ID: it starts with the country's two letters, like DE123456788.",
            text.trim()
        )));
    }
    let (prefix, number) = compact.split_at(2);
    // Greece's VAT IDs start with EL, not its ISO code.
    if prefix == "GR" {
        return Err(refuse(format!(
            "Greek VAT IDs start with EL, not GR: EL{number}."
        )));
    }
    let Some((accepted, reads)) = formats(prefix) else {
        return Err(refuse(format!(
            "\"{}\" does not start with the prefix of an EU member state (or XI).",
            text.trim()
        )));
    };
    if !accepted.iter().any(|f| matches(f, number.as_bytes())) {
        return Err(refuse(format!(
            "\"{}\" is not a {prefix} VAT ID: after {prefix} come {reads}.",
            text.trim()
        )));
    }
    if !check_digit_holds(prefix, number) {
        return Err(refuse(format!(
            "\"{}\" is not a valid {prefix} VAT ID: its check digit does not match. Check \
             the number on the customer's invoice or in VIES.",
            text.trim()
        )));
    }
    Ok(VatId {
        prefix: prefix.to_string(),
        number: number.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_examples_pass_their_check_digits() {
        for id in [
            "DE123456788",    // the Bundeszentralamt's example
            "DE 136 695 976", // spaces and case are not the number
            "ATU13585627",
            "BE0403170701",
            "FR40303265045",
            "IT00743110157",
            "ESA28015865",
            "ES12345678Z",
            "ESX1234567L",
            "PL5260250274",
            "NL004495445B01", // mod-97 (2020 form)
            "NL123456782B01", // 11-test (older form)
            "SE556036079301",
            "EL094014201",
            "XI123456789",
            "xi gd123",
        ] {
            assert!(check_vat_id(id).is_ok(), "{id}: {:?}", check_vat_id(id));
        }
    }

    #[test]
    fn wrong_check_digits_and_formats_are_refused_naming_the_format() {
        for (id, says) in [
            ("DE123456789", "check digit"),
            ("ATU13585626", "check digit"),
            ("BE0403170702", "check digit"),
            ("FR41303265045", "check digit"),
            ("IT00743110158", "check digit"),
            ("PL5260250275", "check digit"),
            ("ES12345678A", "check digit"),
            ("NL123456789B01", "check digit"),
            ("SE556036079302", "check digit"),
            ("DE12345678", "after DE come 9 digits"),
            ("ATU1234567", "U followed by 8 digits"),
            ("NL123456782X01", "9 digits, B and 2 digits"),
            ("GR094014201", "start with EL"),
            ("US123456789", "prefix of an EU member state"),
            ("DE", "not a VAT ID"),
            ("DE１２３４５６７８８", "not a VAT ID"),
        ] {
            let err = check_vat_id(id).unwrap_err();
            assert!(err.message.contains(says), "{id}: {}", err.message);
        }
    }

    #[test]
    fn every_member_state_and_xi_has_a_format() {
        let states = [
            "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "HR", "HU",
            "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "XI",
        ];
        for s in states {
            assert!(formats(s).is_some(), "{s}");
        }
    }
}
