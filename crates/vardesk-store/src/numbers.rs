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

/// A number series as Settings › Numbering shows it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, specta::Type)]
pub struct SeriesState {
    /// `invoice` or `credit_note`.
    pub sequence: &'static str,
    pub template: String,
    /// The counter's value: the last number taken this year (or ever, without `{YYYY}`).
    pub taken: u64,
    /// The number the next document gets, e.g. INV-2026-0418.
    pub next_number: String,
    pub next_value: u64,
    /// "continued from the previous system at 418", when it was.
    pub continued: Vec<String>,
}

fn sequence_year(template: &str, today: NaiveDate) -> i32 {
    if resets_yearly(template) {
        today.year()
    } else {
        0
    }
}

fn what(sequence: &str) -> &'static str {
    if sequence == "credit_note" {
        "credit note"
    } else {
        "invoice"
    }
}

impl crate::Store {
    /// The invoice and credit-note series as of `today`.
    pub fn number_series(&self, today: NaiveDate) -> Result<Vec<SeriesState>> {
        let settings = self.require_settings()?;
        [
            ("invoice", settings.invoice_number_template),
            ("credit_note", settings.credit_note_number_template),
        ]
        .into_iter()
        .map(|(sequence, template)| {
            let year = sequence_year(&template, today);
            let taken: i64 = self
                .conn()
                .query_row(
                    "SELECT coalesce((SELECT last_value FROM number_sequences
                        WHERE name = ?1 AND year = ?2), 0)",
                    params![sequence, year],
                    |r| r.get(0),
                )
                .db()?;
            let continued = crate::all_rows::<(i64,)>(
                self.conn(),
                "SELECT continued_at FROM sequence_jumps WHERE sequence = ?1 AND year = ?2
                 ORDER BY continued_at",
                params![sequence, year],
            )?
            .into_iter()
            .map(|(at,)| format!("continued from the previous system at {at}"))
            .collect();
            let taken = u64::try_from(taken).unwrap_or(0);
            Ok(SeriesState {
                sequence,
                next_number: format_number(&template, today, taken + 1),
                template,
                taken,
                next_value: taken + 1,
                continued,
            })
        })
        .collect()
    }

    /// Continues a series from the previous system (§11): the next `sequence` document gets
    /// number `next` (only upwards), recorded as `continued from the previous system at N`.
    pub fn continue_series(
        &mut self,
        sequence: &str,
        next: u64,
        today: NaiveDate,
    ) -> Result<SeriesState> {
        let settings = self.require_settings()?;
        let template = match sequence {
            "invoice" => settings.invoice_number_template.clone(),
            "credit_note" => settings.credit_note_number_template.clone(),
            other => {
                return Err(vardesk_core::CoreError::validation(
                    "sequence",
                    format!("\"{other}\" is not a number series: invoice or credit_note."),
                ))
            }
        };
        let year = sequence_year(&template, today);
        self.write(|tx| {
            let taken: i64 = tx
                .query_row(
                    "SELECT coalesce((SELECT last_value FROM number_sequences
                        WHERE name = ?1 AND year = ?2), 0)",
                    params![sequence, year],
                    |r| r.get(0),
                )
                .db()?;
            let taken = u64::try_from(taken).unwrap_or(0);
            if !vardesk_core::numbering::check_next_number(what(sequence), next, taken)? {
                return Ok(());
            }
            let last = i64::try_from(next - 1).unwrap_or(i64::MAX);
            tx.execute(
                "INSERT INTO number_sequences (name, year, last_value) VALUES (?1, ?2, ?3)
                 ON CONFLICT (name, year) DO UPDATE SET last_value = excluded.last_value",
                params![sequence, year, last],
            )
            .db()?;
            tx.execute(
                "INSERT INTO sequence_jumps (sequence, year, skipped_from, continued_at, number,
                    created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    sequence,
                    year,
                    i64::try_from(taken + 1).unwrap_or(i64::MAX),
                    i64::try_from(next).unwrap_or(i64::MAX),
                    format_number(&template, today, next),
                    crate::now()
                ],
            )
            .db()?;
            Ok(())
        })?;
        self.number_series(today)?
            .into_iter()
            .find(|s| s.sequence == sequence)
            .ok_or_else(|| crate::internal("the series vanished"))
    }
}
