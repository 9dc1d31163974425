//! Reading the CSV files that spreadsheets and PowerShell write: encoding, separator,
//! records with the physical line where each starts.

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

use crate::error::CoreError;

/// Decodes bytes: UTF-8 or UTF-16 by their BOM; without a BOM UTF-8, or Windows-1252 when
/// the bytes are not valid UTF-8 (what Excel's plain "CSV" export writes on Windows).
pub fn decode(bytes: &[u8]) -> String {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        return text.into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => {
            let (text, _, _) = WINDOWS_1252.decode(bytes);
            debug_assert!(UTF_8.name() == "UTF-8");
            text.into_owned()
        }
    }
}

/// The separator used by a header line: `;`, tab or `,` (most frequent outside quotes).
pub fn guess_separator(header_line: &str) -> u8 {
    let mut in_quotes = false;
    let (mut commas, mut semicolons, mut tabs) = (0, 0, 0);
    for c in header_line.chars() {
        match c {
            '"' => in_quotes = !in_quotes,
            ',' if !in_quotes => commas += 1,
            ';' if !in_quotes => semicolons += 1,
            '\t' if !in_quotes => tabs += 1,
            _ => {}
        }
    }
    if semicolons > commas && semicolons >= tabs {
        b';'
    } else if tabs > commas && tabs > semicolons {
        b'\t'
    } else {
        b','
    }
}

/// One data record: its fields and the 1-based physical line where it starts.
#[derive(Debug, Clone)]
pub struct Record {
    pub line: u64,
    pub fields: Vec<String>,
}

/// A parsed CSV table: the header fields and the non-blank records after it.
#[derive(Debug, Clone)]
pub struct Table {
    pub header: Vec<String>,
    pub header_line: u64,
    pub records: Vec<Record>,
}

/// Imports (customer CSV, mailbox inventories) take at most this much (DOMAIN.md §6.1).
pub const MAX_IMPORT_BYTES: usize = 50 * 1024 * 1024;
pub const MAX_IMPORT_ROWS: usize = 100_000;
/// A preview lists at most this many row errors, and counts the rest.
pub const MAX_LISTED_ERRORS: usize = 100;

/// Refuses a file too large to import, before anything is parsed.
pub fn check_import_size(bytes: &[u8]) -> Result<(), CoreError> {
    if bytes.len() > MAX_IMPORT_BYTES {
        return Err(CoreError::validation(
            "file",
            format!(
                "The file is {} MB; VarDesk imports files of up to 50 MB. Split it and import \
                 the parts one after the other.",
                bytes.len().div_ceil(1024 * 1024)
            ),
        ));
    }
    Ok(())
}

/// Refuses a table with more rows than an import takes.
pub fn check_import_rows(rows: usize) -> Result<(), CoreError> {
    if rows > MAX_IMPORT_ROWS {
        return Err(CoreError::validation(
            "file",
            format!(
                "The file has {rows} rows; VarDesk imports up to 100,000 rows at a time. Split \
                 it and import the parts one after the other."
            ),
        ));
    }
    Ok(())
}

/// Whether a cell needs (or, read back, carries) the protective `'`: it starts with `=`,
/// `+`, `-`, `@`, a tab or a carriage return after any leading `'` (so that a text that
/// itself begins with `'` round-trips too).
fn formula_like(text: &str) -> bool {
    text.trim_start_matches('\'')
        .starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// A text cell as written to a CSV file: one that starts with `=`, `+`, `-`, `@`, a tab or a
/// carriage return gets a leading `'`, so Excel shows it as text instead of running it (a
/// number such as `-5.00` stays a number). [`csv_text_value`] reads it back exactly.
pub fn csv_text_cell(text: &str) -> String {
    let number = text.parse::<rust_decimal::Decimal>().is_ok();
    if formula_like(text) && !number {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// A CSV cell as the text it stands for: the `'` that [`csv_text_cell`] added is removed.
pub fn csv_text_value(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if formula_like(cell) => rest,
        _ => cell,
    }
}

/// Parses decoded text. `skip_first_line_if` drops a leading line starting with that prefix
/// (PowerShell's `#TYPE`), which still counts for line numbers.
pub fn parse_table(text: &str, skip_first_line_if: Option<&str>) -> Result<Table, CoreError> {
    let mut body = text;
    let mut offset = 0u64;
    if let Some(prefix) = skip_first_line_if {
        if body.starts_with(prefix) {
            body = body.find('\n').map_or("", |i| &body[i + 1..]);
            offset = 1;
        }
    }
    // A report's title lines (QuickBooks: company, report name, dates) carry no separator:
    // the separator is guessed from the first line that has one.
    let first_line = body
        .lines()
        .find(|l| l.contains([',', ';', '\t']))
        .or_else(|| body.lines().next())
        .unwrap_or("");
    let separator = guess_separator(first_line);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator)
        .has_headers(false)
        .flexible(true)
        .from_reader(body.as_bytes());
    let mut header: Option<(Vec<String>, u64)> = None;
    let mut records = Vec::new();
    // Physical lines are counted from byte offsets: the csv crate's own line counter does
    // not count blank lines or newlines inside quoted fields the way a user sees them.
    let bytes = body.as_bytes();
    let (mut counted_to, mut line) = (0usize, 1u64);
    let mut line_at = |start: usize| -> u64 {
        let mut start = start.min(bytes.len());
        while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        if start >= counted_to {
            line += bytes[counted_to..start]
                .iter()
                .filter(|b| **b == b'\n')
                .count() as u64;
            counted_to = start;
        }
        line + offset
    };
    for result in reader.records() {
        let record = result.map_err(|e| {
            let at = e.position().map_or(0, |p| p.byte() as usize);
            CoreError::validation(
                "file",
                format!("line {}: the file is not valid CSV.", line_at(at)),
            )
        })?;
        let line = line_at(record.position().map_or(0, |p| p.byte() as usize));
        let fields: Vec<String> = record.iter().map(str::to_string).collect();
        if fields.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        match header {
            None => header = Some((fields, line)),
            Some(_) => records.push(Record { line, fields }),
        }
    }
    let (mut header, mut header_line) = header.ok_or_else(|| {
        CoreError::validation("file", "The file is empty: it has no header line.")
    })?;
    // Title lines of one cell each before a header of several columns are a report's
    // preamble, not its header.
    let cells = |f: &[String]| f.iter().filter(|c| !c.trim().is_empty()).count();
    if cells(&header) == 1 {
        if let Some(at) = records.iter().position(|r| cells(&r.fields) >= 2) {
            if records[..at].iter().all(|r| cells(&r.fields) == 1) {
                let found = records.remove(at);
                records.drain(..at);
                (header, header_line) = (found.fields, found.line);
            }
        }
    }
    Ok(Table {
        header,
        header_line,
        records,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reports_title_lines_before_its_header_are_skipped() {
        let text =
            "Northwind Ltd\nInvoice List\nAll Dates\n\nDate,Num,Customer\n01/02/2026,1001,Acme\n";
        let t = parse_table(text, None).unwrap();
        assert_eq!(t.header, ["Date", "Num", "Customer"]);
        assert_eq!(t.header_line, 5);
        assert_eq!(t.records.len(), 1);
        assert_eq!(t.records[0].line, 6);
        // A file of one column keeps its header.
        let one = parse_table("name\nAcme\nBeta\n", None).unwrap();
        assert_eq!((one.header.len(), one.records.len()), (1, 2));
    }

    #[test]
    fn utf16_with_bom_is_decoded() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "Zoë,1".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(decode(&bytes), "Zoë,1");
    }

    #[test]
    fn windows_1252_is_the_fallback() {
        assert_eq!(decode(b"M\xfcller"), "Müller");
        assert_eq!(decode("\u{feff}Łódź".as_bytes()), "Łódź");
    }

    #[test]
    fn records_know_where_they_start() {
        let t = parse_table("a;b\r\n\"x\ny\";1\r\n\r\nz;2\r\n", None).unwrap();
        assert_eq!(t.header, vec!["a", "b"]);
        let lines: Vec<u64> = t.records.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![2, 5]);
        assert_eq!(t.records[0].fields[0], "x\ny");
    }

    #[test]
    fn formula_like_cells_are_written_as_text_and_read_back_exactly() {
        for text in [
            "=HYPERLINK(\"http://x\",\"y\")",
            "+49 30 1234",
            "-1+cmd|' /C calc'!A0",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "'=already quoted",
            "'plain quote",
            "''\rA",
            "'''-x",
            "'-5",
            "Müller & Söhne",
            "-5.00",
            "",
        ] {
            let cell = csv_text_cell(text);
            assert_eq!(csv_text_value(&cell), text, "{text:?} → {cell:?}");
            let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
            assert!(
                !risky || cell.parse::<rust_decimal::Decimal>().is_ok(),
                "{cell:?}"
            );
        }
    }
}
