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
    Ok(())
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
        assert!(resets_yearly("INV-{YYYY}-{SEQ:4}"));
        assert!(!resets_yearly("INV-{SEQ:6}"));
    }
}
