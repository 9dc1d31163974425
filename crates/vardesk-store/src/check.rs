//! `vardesk check`: integrity and the invariants the schema cannot express.

use serde::Serialize;
use vardesk_core::customer::name_key;

use crate::{DbResult, Result, Store};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckReport {
    pub ok: bool,
    pub schema_version: usize,
    pub problems: Vec<String>,
}

impl Store {
    pub fn check(&self) -> Result<CheckReport> {
        let conn = self.conn();
        let mut problems = Vec::new();
        let mut stmt = conn.prepare("PRAGMA integrity_check").db()?;
        let lines: Vec<String> = stmt
            .query_map([], |r| r.get(0))
            .db()?
            .collect::<rusqlite::Result<_>>()
            .db()?;
        if lines != ["ok"] {
            problems.extend(lines.into_iter().map(|l| format!("integrity: {l}")));
        }
        let mut stmt = conn.prepare("PRAGMA foreign_key_check").db()?;
        let broken = stmt.query_map([], |r| r.get::<_, String>(0)).db()?.count();
        if broken > 0 {
            problems.push(format!("{broken} row(s) point at rows that do not exist"));
        }
        let mut stmt = conn
            .prepare("SELECT id, name, name_key FROM customers")
            .db()?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })
            .db()?;
        for row in rows {
            let (id, name, key) = row.db()?;
            if name_key(&name) != key {
                problems.push(format!("customer {id}: its duplicate-name key is stale"));
            }
        }
        problems.extend(self.numbering_problems()?);
        let version: usize = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .db()?;
        Ok(CheckReport {
            ok: problems.is_empty(),
            schema_version: version,
            problems,
        })
    }
}

impl Store {
    /// Issued invoice and credit-note numbers must be gapless: as many issued per sequence
    /// and year as the counter says, each number once.
    fn numbering_problems(&self) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        let mut stmt = self
            .conn()
            .prepare("SELECT name, year, last_value FROM number_sequences WHERE name <> 'quote'")
            .db()?;
        let counters: Vec<(String, i64, i64)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .db()?
            .collect::<rusqlite::Result<_>>()
            .db()?;
        for (name, year, last) in counters {
            let kind = if name == "credit_note" {
                "credit_note"
            } else {
                "invoice"
            };
            let in_year = if year == 0 {
                String::new()
            } else {
                format!(" AND substr(issue_date, 1, 4) = '{year:04}'")
            };
            let issued: i64 = self
                .conn()
                .query_row(
                    &format!(
                        "SELECT count(*) FROM invoices WHERE number IS NOT NULL AND kind = ?1{in_year}"
                    ),
                    [kind],
                    |r| r.get(0),
                )
                .db()?;
            if issued != last {
                let what = if kind == "credit_note" {
                    "credit note"
                } else {
                    "invoice"
                };
                let of = if year == 0 {
                    String::new()
                } else {
                    format!(" of {year}")
                };
                problems.push(format!(
                    "{what} numbers{of}: the counter is at {last} but {issued} are issued"
                ));
            }
        }
        Ok(problems)
    }
}
