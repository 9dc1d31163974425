//! Gapless number sequences (DOMAIN.md §6). A number is taken inside the caller's
//! transaction, so a write that fails rolls the counter back with it.

use chrono::{Datelike, NaiveDate};
use rusqlite::{params, Transaction};
use vardesk_core::numbering::{format_number, resets_yearly};

use crate::{DbResult, Result};

/// The next number of sequence `name` (`quote`, `invoice`, `credit_note`) for `date`.
pub fn take_next(
    tx: &Transaction<'_>,
    name: &str,
    template: &str,
    date: NaiveDate,
) -> Result<String> {
    let year = if resets_yearly(template) {
        date.year()
    } else {
        0
    };
    let value: u64 = tx
        .query_row(
            "INSERT INTO number_sequences (name, year, last_value) VALUES (?1, ?2, 1)
             ON CONFLICT (name, year) DO UPDATE SET last_value = last_value + 1
             RETURNING last_value",
            params![name, year],
            |r| r.get(0),
        )
        .db()?;
    Ok(format_number(template, date, value))
}
