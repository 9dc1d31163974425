//! When documents were handed to the mail app (Send…), and to whom.

use serde::Serialize;

use crate::{all_rows, now, DbResult, Result, Store};

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct Sent {
    /// RFC 3339, UTC.
    pub sent_at: String,
    pub to_address: String,
}

/// What was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Document {
    Invoice(i64),
    Quote(i64),
}

impl Document {
    fn ids(self) -> (Option<i64>, Option<i64>) {
        match self {
            Document::Invoice(id) => (Some(id), None),
            Document::Quote(id) => (None, Some(id)),
        }
    }
}

impl Store {
    pub fn record_sent(&mut self, document: Document, to_address: &str) -> Result<()> {
        let (invoice, quote) = document.ids();
        self.write(|tx| {
            tx.execute(
                "INSERT INTO document_sends (invoice_id, quote_id, sent_at, to_address)
                 VALUES (?1, ?2, ?3, ?4)",
                rusqlite::params![invoice, quote, now(), to_address],
            )
            .db()?;
            Ok(())
        })
    }

    /// A quote handed to the mail app: recorded, and marked as sent when it was a draft.
    pub fn quote_sent_by_mail(
        &mut self,
        id: i64,
        to_address: &str,
        today: chrono::NaiveDate,
    ) -> Result<()> {
        if self.quote(id, today)?.status == vardesk_core::quote::QuoteStatus::Draft {
            self.mark_quote_sent(id, today)?;
        }
        self.record_sent(Document::Quote(id), to_address)
    }

    /// Every send of the document, oldest first.
    pub fn sends(&self, document: Document) -> Result<Vec<Sent>> {
        let (invoice, quote) = document.ids();
        let rows: Vec<(String, String)> = all_rows(
            self.conn(),
            "SELECT sent_at, to_address FROM document_sends
             WHERE invoice_id IS ?1 AND quote_id IS ?2 ORDER BY id",
            rusqlite::params![invoice, quote],
        )?;
        Ok(rows
            .into_iter()
            .map(|(sent_at, to_address)| Sent {
                sent_at,
                to_address,
            })
            .collect())
    }
}
