//! Gapless number sequences (DOMAIN.md §6). A number is taken inside the caller's
//! transaction, so a write that fails rolls the counter back with it.

use chrono::{Datelike, NaiveDate};
use rusqlite::{params, Transaction};
use vardesk_core::numbering::{format_number, resets_yearly};

use crate::{DbResult, Result};

/// A number taken from a sequence: the text, and the sequence (year 0: continuous) and value
/// it came from, which an issued document keeps.
pub struct Taken {
    pub number: String,
    pub year: i32,
    pub value: i64,
}

/// The next number of sequence `name` (`quote`, `invoice`, `credit_note`) for `date`.
pub fn take_next(
    tx: &Transaction<'_>,
    name: &str,
    template: &str,
    date: NaiveDate,
) -> Result<Taken> {
    let year = if resets_yearly(template) {
        date.year()
    } else {
        0
    };
    let value: i64 = tx
        .query_row(
            "INSERT INTO number_sequences (name, year, last_value) VALUES (?1, ?2, 1)
             ON CONFLICT (name, year) DO UPDATE SET last_value = last_value + 1
             RETURNING last_value",
            params![name, year],
            |r| r.get(0),
        )
        .db()?;
    let number = format_number(template, date, u64::try_from(value).unwrap_or(0));
    Ok(Taken {
        number,
        year,
        value,
    })
}
