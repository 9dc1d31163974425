//! Invoice and credit-note number templates (DOMAIN.md §6).

use chrono::{Datelike, NaiveDate};

use crate::error::CoreError;

enum Token<'a> {
    Text(&'a str),
    Year,
    Seq { width: usize },
}

fn tokens(template: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            break;
        };
        let inner = &rest[open + 1..close];
        let token = match inner {
            "YYYY" => Some(Token::Year),
            "SEQ" => Some(Token::Seq { width: 0 }),
            _ => inner
                .strip_prefix("SEQ:")
                .and_then(|w| w.parse::<usize>().ok())
                .filter(|w| *w <= 12)
                .map(|width| Token::Seq { width }),
        };
        match token {
            Some(token) => {
                out.push(Token::Text(&rest[..open]));
                out.push(token);
                rest = &rest[close + 1..];
            }
            None => {
                // Not a token: keep the brace as literal text and go on after it.
                out.push(Token::Text(&rest[..=open]));
                rest = &rest[open + 1..];
            }
        }
    }
    out.push(Token::Text(rest));
    out
}

/// Checks a template a user typed: it needs exactly one `{SEQ}` or `{SEQ:n}`.
pub fn validate_template(template: &str) -> Result<(), CoreError> {
    let seqs = tokens(template)
        .iter()
        .filter(|t| matches!(t, Token::Seq { .. }))
        .count();
    if template.trim().is_empty() || template.len() > 60 {
        return Err(CoreError::validation(
            "template",
            "A number template needs 1–60 characters.",
        ));
    }
    if seqs != 1 {
        return Err(CoreError::validation(
            "template",
            format!("\"{template}\" must contain {{SEQ}} or {{SEQ:n}} exactly once."),
        ));
    }
    // §6.1: the text around the tokens is letters, digits, space, `-`, `_`, `/` and `.` only
    // (a number ends up in file names, e-invoices and print commands).
    let literal = tokens(template).into_iter().find_map(|t| match t {
        Token::Text(text) => text
            .chars()
            .find(|c| !(c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '/' | '.'))),
        _ => None,
    });
    if let Some(bad) = literal {
        return Err(CoreError::validation(
            "template",
            format!(
                "\"{template}\" contains \"{bad}\": a number template may hold letters, digits, \
                 spaces, - _ / . and the tokens {{YYYY}}, {{SEQ}}, {{SEQ:n}}."
            ),
        ));
    }
    Ok(())
}

/// Continuing a series from the previous system (§11): the next number may only be raised,
/// past every number taken. `taken` is the counter's value (the last number taken, issued or
/// lost); `Ok(false)` when `next` already is the next number (nothing to record).
pub fn check_next_number(what: &str, next: u64, taken: u64) -> Result<bool, CoreError> {
    const MAX: u64 = 1_000_000_000;
    if next == 0 || next > MAX {
        return Err(CoreError::validation(
            "next_number",
            format!("The next {what} number is a whole number from 1 to 1,000,000,000."),
        ));
    }
    if next <= taken {
        return Err(CoreError::validation(
            "next_number",
            format!(
                "Numbers only go up: {taken} is already taken, so the next {what} number can be \
                 {} or more.",
                taken + 1
            ),
        ));
    }
    Ok(next > taken + 1)
}

/// Reads a number written by `template` back into its year (with `{YYYY}`) and sequence
/// value; `None` when the number does not have the template's shape.
pub fn parse_number(template: &str, number: &str) -> Option<(Option<i32>, u64)> {
    let mut rest = number;
    let (mut year, mut value) = (None, None);
    for token in tokens(template) {
        match token {
            Token::Text(t) => rest = rest.strip_prefix(t)?,
            Token::Year => {
                let digits = rest
                    .get(..4)
                    .filter(|d| d.bytes().all(|b| b.is_ascii_digit()))?;
                year = Some(digits.parse().ok()?);
                rest = &rest[4..];
            }
            Token::Seq { .. } => {
                let end = rest
                    .find(|c: char| !c.is_ascii_digit())
                    .unwrap_or(rest.len());
                value = Some(rest[..end].parse().ok()?);
                rest = &rest[end..];
            }
        }
    }
    rest.is_empty().then_some((year, value?))
}

/// Whether the sequence restarts every year (the template contains `{YYYY}`).
pub fn resets_yearly(template: &str) -> bool {
    tokens(template).iter().any(|t| matches!(t, Token::Year))
}

/// The number for sequence value `seq` issued on `issue_date`.
pub fn format_number(template: &str, issue_date: NaiveDate, seq: u64) -> String {
    let mut out = String::new();
    for token in tokens(template) {
        match token {
            Token::Text(t) => out.push_str(t),
            Token::Year => out.push_str(&format!("{:04}", issue_date.year())),
            Token::Seq { width } => out.push_str(&format!("{seq:0width$}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()
    }

    #[test]
    fn literal_braces_stay() {
        assert_eq!(format_number("{X}-{SEQ:3}", day(), 7), "{X}-007");
        assert_eq!(format_number("R{SEQ}", day(), 42), "R42");
    }

    #[test]
    fn templates_need_one_sequence() {
        assert!(validate_template("INV-{YYYY}").is_err());
        assert!(validate_template("{SEQ}{SEQ}").is_err());
        assert!(validate_template("INV-{YYYY}-{SEQ:4}").is_ok());
        assert!(validate_template("RE 2026/{SEQ:5}.A_b").is_ok());
        for hostile in [
            "INV’;calc #{SEQ}",
            "INV'{SEQ}",
            "{X}-{SEQ}",
            "INV\n{SEQ}",
            "A&{SEQ}",
        ] {
            assert!(validate_template(hostile).is_err(), "{hostile}");
        }
        assert!(resets_yearly("INV-{YYYY}-{SEQ:4}"));
        assert!(!resets_yearly("INV-{SEQ:6}"));
    }

    #[test]
    fn a_series_is_continued_only_upwards() {
        assert_eq!(check_next_number("invoice", 418, 0), Ok(true));
        assert_eq!(
            check_next_number("invoice", 1, 0),
            Ok(false),
            "already next"
        );
        assert_eq!(check_next_number("invoice", 6, 5), Ok(false));
        for (next, taken) in [(5, 5), (3, 5), (0, 0), (1_000_000_001, 0)] {
            let err = check_next_number("invoice", next, taken).unwrap_err();
            assert_eq!(
                err.field.as_deref(),
                Some("next_number"),
                "{next} after {taken}"
            );
        }
        assert!(check_next_number("invoice", 3, 5)
            .unwrap_err()
            .message
            .contains("can be 6 or more"));
    }

    #[test]
    fn a_number_is_read_back_into_year_and_value() {
        assert_eq!(
            parse_number("INV-{YYYY}-{SEQ:4}", "INV-2026-0417"),
            Some((Some(2026), 417))
        );
        assert_eq!(parse_number("R{SEQ}", "R12345"), Some((None, 12345)));
        assert_eq!(parse_number("INV-{YYYY}-{SEQ:4}", "RE-2026-0417"), None);
        assert_eq!(parse_number("INV-{YYYY}-{SEQ:4}", "INV-2026-0417a"), None);
        assert_eq!(parse_number("INV-{YYYY}-{SEQ:4}", "INV-26-0417"), None);
    }
}
