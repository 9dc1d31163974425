//! Open invoices from the previous tool (DOMAIN.md §11): read as the old tool exported
//! them (its own numbers, customer by name, its date and amount formats), checked row by row,
//! and kept as read-only imported documents outside VarDesk's number series.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::customer::name_key;
use crate::error::CoreError;
use crate::mapping::{self, Choices, ImportKind, ImportSummary};
use crate::money::Currency;
use crate::numbering::parse_number;
use crate::textfile;

/// A customer an imported row may name.
#[derive(Debug, Clone)]
pub struct KnownCustomer {
    pub id: i64,
    pub name: String,
    pub currency: Currency,
    pub payment_terms_days: u32,
    pub buyer_reference: String,
}

/// What the rows are checked against.
pub struct OpenInvoiceContext<'a> {
    pub customers: &'a [KnownCustomer],
    /// Every document number VarDesk already has (issued or imported).
    pub existing_numbers: &'a HashSet<String>,
    /// VarDesk's invoice template and its counters (year 0 without `{YYYY}`): a number the
    /// series would still give is refused until the series is continued past it.
    pub template: &'a str,
    pub taken: &'a BTreeMap<i32, u64>,
    /// How to read 03/04/2026 when no date in the file decides it (en-US: month first).
    pub month_first: bool,
}

/// One invoice to import.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct ImportedInvoice {
    pub line: u64,
    pub number: String,
    pub customer_id: i64,
    pub customer: String,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    pub currency: Currency,
    pub total: Decimal,
    pub open: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct OpenInvoicePreview {
    #[serde(flatten)]
    pub summary: ImportSummary,
    /// Rows the old tool shows as paid in full: nothing is owed, they are left out.
    pub paid_left_out: u32,
    /// Further rows of an invoice already read (Xero exports one row per invoice line).
    pub line_rows: u32,
    /// What the imported invoices still owe, per currency.
    pub imported_total: BTreeMap<String, Decimal>,
    pub invoices: Vec<ImportedInvoice>,
}

/// Why an imported document has no VarDesk PDF or e-invoice (§11: its PDF, if any, stays
/// with the old tool).
pub fn not_printed(number: &str) -> CoreError {
    CoreError::validation(
        "invoice",
        format!(
            "{number} was imported from the previous system: its PDF stays with that tool, \
             VarDesk does not print it again."
        ),
    )
}

/// Reads an open-invoice export and checks every row (§11).
pub fn parse_open_invoices_csv(
    bytes: &[u8],
    choices: &Choices,
    ctx: &OpenInvoiceContext<'_>,
) -> Result<OpenInvoicePreview, CoreError> {
    let read = mapping::read(bytes, ImportKind::OpenInvoices, choices, None)?;
    let mut preview = OpenInvoicePreview {
        summary: read.summary(),
        paid_left_out: 0,
        line_rows: 0,
        imported_total: BTreeMap::new(),
        invoices: Vec::new(),
    };
    if preview.summary.mapping_error.is_some() {
        return Ok(preview);
    }
    let table = &read.table;
    let cell = |record: &textfile::Record, field: &str| read.cell(record, field);
    // Day or month first: decided by any date in the file that only reads one way, else by
    // the order under which every due date follows its invoice date, else by the locale.
    let pairs: Vec<(String, String)> = table
        .records
        .iter()
        .map(|r| (cell(r, "issue_date"), cell(r, "due_date")))
        .collect();
    let month_first = date_order(pairs.iter().flat_map(|(a, b)| [a.clone(), b.clone()]))
        .or_else(|| {
            let holds = |month_first: bool| {
                pairs.iter().all(|(issue, due)| {
                    due.is_empty()
                        || matches!(
                            (read_date(issue, month_first), read_date(due, month_first)),
                            (Some(i), Some(d)) if d >= i
                        )
                })
            };
            match (holds(true), holds(false)) {
                (true, false) => Some(true),
                (false, true) => Some(false),
                _ => None,
            }
        })
        .unwrap_or(ctx.month_first);
    let by_name: HashMap<String, &KnownCustomer> = ctx
        .customers
        .iter()
        .map(|c| (name_key(&c.name), c))
        .collect();
    let mut seen: HashMap<String, (i64, Decimal)> = HashMap::new();
    for record in &table.records {
        let fail = |preview: &mut OpenInvoicePreview, code: &str, reason: String| {
            preview.summary.fail(record.line, code, reason);
        };
        let number = cell(record, "number");
        if number.is_empty() || number.chars().count() > 60 {
            fail(
                &mut preview,
                "number",
                "the invoice number is missing (or longer than 60 characters)".into(),
            );
            continue;
        }
        let who = cell(record, "customer");
        let customer = by_name
            .get(&name_key(&who))
            .copied()
            .or_else(|| find_customer(ctx.customers, &who));
        let Some(customer) = customer else {
            fail(
                &mut preview,
                "customer",
                format!("no customer named \"{who}\": import the customers first"),
            );
            continue;
        };
        let currency = match cell(record, "currency") {
            c if c.is_empty() => customer.currency,
            c => match Currency::parse(&mapping::normalize("currency", &c)) {
                Ok(code) => code,
                Err(_) => {
                    fail(
                        &mut preview,
                        "currency",
                        format!("\"{c}\" is not a currency code like EUR"),
                    );
                    continue;
                }
            },
        };
        let Some(total) = read_amount(&cell(record, "total"), currency) else {
            fail(
                &mut preview,
                "total",
                format!(
                    "the total \"{}\" is not an amount in {currency}",
                    cell(record, "total")
                ),
            );
            continue;
        };
        // Xero writes one row per invoice line, repeating the invoice's own columns.
        if let Some((customer_id, seen_total)) = seen.get(&number) {
            if *customer_id == customer.id && *seen_total == total {
                preview.line_rows += 1;
            } else {
                fail(
                    &mut preview,
                    "duplicate_number",
                    format!("{number} appears twice with different figures"),
                );
            }
            continue;
        }
        seen.insert(number.clone(), (customer.id, total));
        if ctx.existing_numbers.contains(&number) {
            fail(
                &mut preview,
                "duplicate_number",
                format!("{number} is already in VarDesk"),
            );
            continue;
        }
        let issue_text = cell(record, "issue_date");
        let Some(issue_date) = read_date(&issue_text, month_first) else {
            fail(
                &mut preview,
                "issue_date",
                format!("\"{issue_text}\" is not a date"),
            );
            continue;
        };
        let due_text = cell(record, "due_date");
        let due_date = if due_text.is_empty() {
            issue_date + chrono::Days::new(u64::from(customer.payment_terms_days))
        } else {
            match read_date(&due_text, month_first) {
                Some(d) if d >= issue_date => d,
                Some(_) => {
                    fail(
                        &mut preview,
                        "due_date",
                        "the due date is before the invoice date".into(),
                    );
                    continue;
                }
                None => {
                    fail(
                        &mut preview,
                        "due_date",
                        format!("\"{due_text}\" is not a date"),
                    );
                    continue;
                }
            }
        };
        let open_text = cell(record, "open_amount");
        let paid_text = cell(record, "paid");
        let open = if !open_text.is_empty() {
            read_amount(&open_text, currency)
        } else if !paid_text.is_empty() {
            read_amount(&paid_text, currency).map(|paid| total - paid)
        } else {
            Some(total)
        };
        let Some(open) = open.filter(|o| *o >= Decimal::ZERO && *o <= total) else {
            fail(
                &mut preview,
                "open_amount",
                format!("the open amount must be between 0 and the total {total}"),
            );
            continue;
        };
        if total <= Decimal::ZERO {
            fail(
                &mut preview,
                "total",
                "an invoice to import has a total above 0".into(),
            );
            continue;
        }
        if open.is_zero() {
            preview.paid_left_out += 1;
            continue;
        }
        if let Some(next) = still_in_series(&number, ctx) {
            fail(
                &mut preview,
                "number",
                format!(
                    "{number} is a number VarDesk's own invoice series would still give: \
                     continue the series at {next} first (Settings › Numbering)"
                ),
            );
            continue;
        }
        *preview
            .imported_total
            .entry(currency.code().to_string())
            .or_default() += open;
        preview.invoices.push(ImportedInvoice {
            line: record.line,
            number,
            customer_id: customer.id,
            customer: customer.name.clone(),
            issue_date,
            due_date,
            currency,
            total,
            open,
        });
    }
    preview.summary.finish(preview.invoices.len());
    Ok(preview)
}

/// The customer a row names: by name (as compared for duplicates), else by its buyer
/// reference or VarDesk number.
pub fn find_customer<'a>(customers: &'a [KnownCustomer], who: &str) -> Option<&'a KnownCustomer> {
    let who = who.trim();
    if who.is_empty() {
        return None;
    }
    let key = name_key(who);
    customers
        .iter()
        .find(|c| name_key(&c.name) == key)
        .or_else(|| {
            customers
                .iter()
                .find(|c| c.buyer_reference == who || c.id.to_string() == who)
        })
}

/// The next number that would make `number` safe, when VarDesk's series could still issue
/// it (it matches the template with a value above the counter of its year).
fn still_in_series(number: &str, ctx: &OpenInvoiceContext<'_>) -> Option<u64> {
    let (year, value) = parse_number(ctx.template, number)?;
    let taken = ctx.taken.get(&year.unwrap_or(0)).copied().unwrap_or(0);
    (value > taken).then_some(value + 1)
}

/// An amount as other tools write it: `1234.50`, `1.234,50`, `1,234.50`, `1'234.50`, with or
/// without a currency symbol or code; at most the currency's decimals.
pub fn read_amount(text: &str, currency: Currency) -> Option<Decimal> {
    read_number(text, currency.code())
        .filter(|a| crate::bounds::amount_in_range(*a) && currency.round(*a) == *a)
}

/// A number as other tools write it (see [`read_amount`]), with any decimals; `code` (a
/// currency code) may stand before or after it.
pub fn read_number(text: &str, code: &str) -> Option<Decimal> {
    let cleaned: String = text
        .trim()
        .trim_start_matches(code)
        .trim_end_matches(code)
        .chars()
        .filter(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '-'))
        .collect();
    if cleaned.is_empty() || cleaned.matches('-').count() > 1 || cleaned[1..].contains('-') {
        return None;
    }
    let last_dot = cleaned.rfind('.');
    let last_comma = cleaned.rfind(',');
    let decimal_mark = match (last_dot, last_comma) {
        (Some(d), Some(c)) => Some(if d > c { '.' } else { ',' }),
        (Some(_), None) | (None, Some(_)) => {
            let mark = if last_dot.is_some() { '.' } else { ',' };
            let count = cleaned.matches(mark).count();
            let at = cleaned.rfind(mark).unwrap_or(0);
            let after = cleaned.len() - at - 1;
            let lead = cleaned[..at].trim_start_matches('-');
            // One mark after 1-3 digits (not a lone 0) and before exactly three groups
            // thousands ("1.500", "2,000"); "0.125" and "99,9" are decimals.
            let grouping = after == 3 && (1..=3).contains(&lead.len()) && !lead.starts_with('0');
            (count == 1 && !grouping).then_some(mark)
        }
        (None, None) => None,
    };
    let normalized: String = cleaned
        .chars()
        .filter_map(|c| match c {
            '.' | ',' if Some(c) == decimal_mark => Some('.'),
            '.' | ',' => None,
            other => Some(other),
        })
        .collect();
    crate::money::parse_decimal("amount", &normalized).ok()
}

/// Whether the dates of a file put the month first (`Some(true)`), the day first
/// (`Some(false)`), or do not say (every one reads both ways).
fn date_order(texts: impl Iterator<Item = String>) -> Option<bool> {
    for t in texts {
        let parts: Vec<u32> = t
            .split(['/', '.', '-'])
            .map(|p| p.trim().parse().unwrap_or(0))
            .collect();
        if let [a, b, c] = parts[..] {
            if a > 31 || c <= 31 && c > 12 && a <= 12 && b <= 12 {
                continue; // ISO (year first), or nothing to learn
            }
            if a > 12 && b <= 12 {
                return Some(false);
            }
            if b > 12 && a <= 12 {
                return Some(true);
            }
        }
    }
    None
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// A date as other tools write it: ISO (with or without a time), 27.11.2026, 27/11/2026,
/// 11/27/2026 (by `month_first`), two-digit years as 20YY, and `27 Nov 2026`.
pub fn read_date(text: &str, month_first: bool) -> Option<NaiveDate> {
    let t = text.trim();
    let day_part = t.split(['T', ' ']).next().unwrap_or(t);
    if let Ok(d) = NaiveDate::parse_from_str(day_part, "%Y-%m-%d") {
        return Some(d);
    }
    let words: Vec<&str> = t.split([' ', ',']).filter(|w| !w.is_empty()).collect();
    if words.len() == 3 {
        let month_of = |w: &str| {
            let w = w.to_lowercase();
            MONTHS
                .iter()
                .position(|m| w.starts_with(m))
                .map(|i| i as u32 + 1)
        };
        let (day, month, year) = match (month_of(words[0]), month_of(words[1])) {
            (Some(m), None) => (words[1], m, words[2]),
            (None, Some(m)) => (words[0], m, words[2]),
            _ => ("", 0, ""),
        };
        if month > 0 {
            return NaiveDate::from_ymd_opt(year.parse().ok()?, month, day.parse().ok()?);
        }
    }
    let parts: Vec<&str> = day_part.split(['/', '.', '-']).collect();
    let [a, b, c] = parts[..] else { return None };
    let (a, b): (u32, u32) = (a.parse().ok()?, b.parse().ok()?);
    let mut year: i32 = c.parse().ok()?;
    if c.len() == 2 {
        year += 2000;
    }
    let (day, month) = if month_first { (b, a) } else { (a, b) };
    NaiveDate::from_ymd_opt(year, month, day).filter(|d| d.year() > 1900)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eur() -> Currency {
        Currency::EUR
    }

    #[test]
    fn amounts_are_read_as_other_tools_write_them() {
        for (text, want) in [
            ("1234.50", "1234.50"),
            ("1.234,50", "1234.50"),
            ("1,234.50", "1234.50"),
            ("1'234.50", "1234.50"),
            ("€1,234.50", "1234.50"),
            ("1 234,50 EUR", "1234.50"),
            ("1.500", "1500"),
            ("2,000", "2000"),
            ("99,9", "99.9"),
            ("0", "0"),
        ] {
            assert_eq!(
                read_amount(text, eur()).map(|d| d.to_string()),
                Some(want.into()),
                "{text}"
            );
        }
        for bad in ["", "abc", "1-2", "0.001", "--5"] {
            assert_eq!(read_amount(bad, eur()), None, "{bad}");
        }
    }

    #[test]
    fn dates_are_read_in_the_files_order() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(read_date("2026-11-27", false), Some(d("2026-11-27")));
        assert_eq!(
            read_date("2026-11-27T00:00:00", false),
            Some(d("2026-11-27"))
        );
        assert_eq!(read_date("27.11.2026", false), Some(d("2026-11-27")));
        assert_eq!(read_date("27/11/26", false), Some(d("2026-11-27")));
        assert_eq!(read_date("11/27/2026", true), Some(d("2026-11-27")));
        assert_eq!(read_date("27 Nov 2026", true), Some(d("2026-11-27")));
        assert_eq!(read_date("Nov 27, 2026", false), Some(d("2026-11-27")));
        assert_eq!(read_date("31/02/2026", false), None);
        assert_eq!(
            date_order(["03/04/2026", "13/04/2026"].iter().map(|s| s.to_string())),
            Some(false)
        );
        assert_eq!(
            date_order(["03/04/2026", "04/13/2026"].iter().map(|s| s.to_string())),
            Some(true)
        );
        assert_eq!(
            date_order(["2026-04-13"].iter().map(|s| s.to_string())),
            None
        );
    }
}
