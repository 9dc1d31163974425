//! Mailbox inventory import (DOMAIN.md §4.1): Get-MailboxStatistics exports and the
//! spreadsheets partners make of them.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::CoreError;
use crate::estimate::{RiskFlag, Severity};
use crate::money::{parse_user_decimal, round_dp};
use crate::textfile;

const GIB: i64 = 1 << 30;
/// Sizes above 10^21 bytes (about a zettabyte) are not real mailboxes; refusing them also
/// keeps any realistic file's sum far inside Decimal's range.
const MAX_BYTES: i128 = 1_000_000_000_000_000_000_000;
const SIZE_ALIASES: [&str; 5] = [
    "totalitemsize",
    "primarysize",
    "mailboxsize",
    "totalsize",
    "size",
];
const ARCHIVE_ALIASES: [&str; 4] = [
    "archivetotalitemsize",
    "archivesize",
    "archivemailboxsize",
    "archivetotalsize",
];
const SHARED_TYPES: [&str; 3] = ["sharedmailbox", "roommailbox", "equipmentmailbox"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum RowErrorCode {
    SizeMissing,
    SizeUnlimited,
    SizeUnreadable,
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct RowError {
    pub line: u64,
    pub reason_code: RowErrorCode,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct Inventory {
    pub user_mailboxes: u32,
    pub shared_mailboxes: u32,
    pub mailbox_gb: Decimal,
    pub archive_gb: Decimal,
    pub rows_read: u32,
    pub errors: Vec<RowError>,
    pub warnings: Vec<RiskFlag>,
}

/// A size column: where it is and the unit of bare numbers in it.
#[derive(Debug, Clone, Copy)]
struct SizeColumn {
    index: usize,
    unit_power: u32,
}

/// Lower-cased, without spaces, `_` and `-`.
fn normalize_header(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-'))
        .flat_map(char::to_lowercase)
        .collect()
}

fn unit_power(unit: &str) -> Option<u32> {
    match unit.to_ascii_lowercase().as_str() {
        "b" | "byte" | "bytes" => Some(0),
        "kb" => Some(1),
        "mb" => Some(2),
        "gb" => Some(3),
        "tb" => Some(4),
        _ => None,
    }
}

/// Splits a normalized header into its name and the unit it carries:
/// `totalsize(mb)` → (`totalsize`, MB); `sizegb` → (`size`, GB).
fn split_unit(header: &str) -> (String, Option<u32>) {
    if let Some(open) = header.find('(') {
        let unit = header[open + 1..].trim_end_matches(')');
        return (header[..open].to_string(), unit_power(unit));
    }
    for suffix in ["kb", "mb", "gb", "tb"] {
        if let Some(name) = header.strip_suffix(suffix) {
            if SIZE_ALIASES.contains(&name) || ARCHIVE_ALIASES.contains(&name) {
                return (name.to_string(), unit_power(suffix));
            }
        }
    }
    (header.to_string(), None)
}

fn find_column(headers: &[(String, Option<u32>)], aliases: &[&str]) -> Option<SizeColumn> {
    aliases.iter().find_map(|alias| {
        headers
            .iter()
            .position(|(name, _)| name == alias)
            .map(|index| SizeColumn {
                index,
                unit_power: headers[index].1.unwrap_or(0),
            })
    })
}

enum Size {
    Bytes(Decimal),
    Unlimited,
    Unreadable,
}

/// Reads `1.486 GB (1,595,555,231 bytes)`, `1,486 GB`, `512 MB`, `734003200` or `Unlimited`.
fn parse_size(cell: &str, default_unit_power: u32) -> Size {
    let text = cell.trim();
    if text.eq_ignore_ascii_case("unlimited") {
        return Size::Unlimited;
    }
    if let (Some(open), Some(close)) = (text.find('('), text.rfind(')')) {
        let inside = text[open + 1..close.max(open + 1)].trim();
        let digits = inside.strip_suffix("bytes").unwrap_or(inside);
        let digits: String = digits
            .chars()
            .filter(|c| !matches!(c, ',' | '.' | '\'' | ' ' | '\u{a0}' | '\u{202f}'))
            .collect();
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) || digits.len() > 27 {
            return Size::Unreadable;
        }
        return digits
            .parse::<Decimal>()
            .map_or(Size::Unreadable, checked_bytes);
    }
    let split = text
        .find(|c: char| c.is_ascii_alphabetic())
        .unwrap_or(text.len());
    let (number, unit) = (text[..split].trim(), text[split..].trim());
    let power = if unit.is_empty() {
        Some(default_unit_power)
    } else {
        unit_power(unit)
    };
    match (power, parse_user_decimal("size", number)) {
        (Some(power), Ok(value)) if value >= Decimal::ZERO => value
            .checked_mul(Decimal::from(1024i64.pow(power)))
            .map_or(Size::Unreadable, checked_bytes),
        _ => Size::Unreadable,
    }
}

fn checked_bytes(bytes: Decimal) -> Size {
    if bytes > Decimal::from(MAX_BYTES) {
        Size::Unreadable
    } else {
        Size::Bytes(bytes)
    }
}

fn gib(bytes: Decimal) -> Decimal {
    bytes / Decimal::from(GIB)
}

fn row_error(line: u64, reason_code: RowErrorCode, what: &str, cell: &str) -> RowError {
    let reason = match reason_code {
        RowErrorCode::SizeMissing => format!("the {what} size is missing"),
        RowErrorCode::SizeUnlimited => format!("the {what} size is \"Unlimited\", not a size"),
        RowErrorCode::SizeUnreadable => {
            format!("the {what} size \"{}\" cannot be read", cell.trim())
        }
    };
    RowError {
        line,
        reason_code,
        reason,
    }
}

/// Reads an inventory export: counts, summed sizes, row errors and per-mailbox flags.
pub fn parse_inventory(bytes: &[u8]) -> Result<Inventory, CoreError> {
    textfile::check_import_size(bytes)?;
    let text = textfile::decode(bytes);
    let table = textfile::parse_table(&text, Some("#TYPE"))?;
    textfile::check_import_rows(table.records.len())?;
    let headers: Vec<(String, Option<u32>)> = table
        .header
        .iter()
        .map(|h| split_unit(&normalize_header(h)))
        .collect();
    let size_col = find_column(&headers, &SIZE_ALIASES).ok_or_else(|| {
        CoreError::validation(
            "file",
            "The file has no mailbox size column (TotalItemSize, Mailbox Size or Size).",
        )
    })?;
    let archive_col = find_column(&headers, &ARCHIVE_ALIASES);
    let type_col = headers
        .iter()
        .position(|(name, _)| name == "recipienttypedetails");

    let mut inv = Inventory {
        user_mailboxes: 0,
        shared_mailboxes: 0,
        mailbox_gb: Decimal::ZERO,
        archive_gb: Decimal::ZERO,
        rows_read: 0,
        errors: Vec::new(),
        warnings: Vec::new(),
    };
    let (mut mailbox_bytes, mut archive_bytes) = (Decimal::ZERO, Decimal::ZERO);
    for record in &table.records {
        inv.rows_read += 1;
        let cell = |col: usize| record.fields.get(col).map(String::as_str);
        let line = record.line;
        let size_cell = cell(size_col.index).unwrap_or("");
        let size = match parse_size(size_cell, size_col.unit_power) {
            _ if size_cell.trim().is_empty() => {
                inv.errors.push(row_error(
                    line,
                    RowErrorCode::SizeMissing,
                    "mailbox",
                    size_cell,
                ));
                continue;
            }
            Size::Bytes(b) => b,
            Size::Unlimited => {
                inv.errors.push(row_error(
                    line,
                    RowErrorCode::SizeUnlimited,
                    "mailbox",
                    size_cell,
                ));
                continue;
            }
            Size::Unreadable => {
                let e = row_error(line, RowErrorCode::SizeUnreadable, "mailbox", size_cell);
                inv.errors.push(e);
                continue;
            }
        };
        let archive_cell = archive_col.and_then(|c| cell(c.index)).unwrap_or("");
        let archive = if archive_cell.trim().is_empty() {
            Decimal::ZERO
        } else {
            let power = archive_col.map_or(0, |c| c.unit_power);
            match parse_size(archive_cell, power) {
                Size::Bytes(b) => b,
                Size::Unlimited => {
                    let e = row_error(line, RowErrorCode::SizeUnlimited, "archive", archive_cell);
                    inv.errors.push(e);
                    continue;
                }
                Size::Unreadable => {
                    let e = row_error(line, RowErrorCode::SizeUnreadable, "archive", archive_cell);
                    inv.errors.push(e);
                    continue;
                }
            }
        };
        let kind = type_col
            .and_then(cell)
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if SHARED_TYPES.contains(&kind.as_str()) {
            inv.shared_mailboxes += 1;
        } else {
            inv.user_mailboxes += 1;
        }
        mailbox_bytes += size;
        archive_bytes += archive;
        inv.warnings.extend(mailbox_flags(line, size, archive));
    }
    inv.mailbox_gb = round_dp(gib(mailbox_bytes), 2);
    inv.archive_gb = round_dp(gib(archive_bytes), 2);
    Ok(inv)
}

fn mailbox_flags(line: u64, mailbox: Decimal, archive: Decimal) -> Vec<RiskFlag> {
    let gb = |n: i64| Decimal::from(n * GIB);
    let shown = |bytes: Decimal| round_dp(gib(bytes), 2).normalize();
    let mut flags = Vec::new();
    if mailbox > gb(100) {
        flags.push(RiskFlag {
            code: "mailbox_over_100gb",
            severity: Severity::Error,
            message: format!(
                "Line {line}: a {} GB mailbox is larger than any plan's 100 GB primary \
                 mailbox; it needs an archive.",
                shown(mailbox)
            ),
            line: Some(line),
        });
    } else if mailbox > gb(50) {
        flags.push(RiskFlag {
            code: "mailbox_over_50gb",
            severity: Severity::Warning,
            message: format!(
                "Line {line}: a {} GB mailbox is larger than the Business plans' 50 GB.",
                shown(mailbox)
            ),
            line: Some(line),
        });
    }
    if archive > gb(240) {
        flags.push(RiskFlag {
            code: "archive_over_240gb",
            severity: Severity::Error,
            message: format!(
                "Line {line}: a {} GB archive is over 240 GB and cannot be onboarded.",
                shown(archive)
            ),
            line: Some(line),
        });
    }
    flags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_carry_units() {
        assert_eq!(
            split_unit("mailboxsize(gb)"),
            ("mailboxsize".into(), Some(3))
        );
        assert_eq!(split_unit("sizegb"), ("size".into(), Some(3)));
        assert_eq!(split_unit("totalitemsize"), ("totalitemsize".into(), None));
    }

    #[test]
    fn sizes_in_every_shape() {
        let bytes = |s: &str, p| match parse_size(s, p) {
            Size::Bytes(b) => Some(b),
            _ => None,
        };
        assert_eq!(
            bytes("1.486 GB (1,595,555,231 bytes)", 0),
            Some(Decimal::from(1595555231))
        );
        assert_eq!(
            bytes("5.5 GB (5 905 580 032 bytes)", 0),
            Some(Decimal::from(5905580032u64))
        );
        assert_eq!(bytes("512 MB", 0), Some(Decimal::from(512 * 1024 * 1024)));
        assert_eq!(bytes("12,5", 2), Some(Decimal::from(13107200)));
        assert_eq!(bytes("about 3 GB", 0), None);
        assert_eq!(bytes("n/a", 0), None);
    }

    #[test]
    fn a_file_without_a_size_column_is_refused() {
        let err = parse_inventory(b"DisplayName,ItemCount\nA,1\n").unwrap_err();
        assert!(err.message.contains("size column"));
    }
}
