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
