//! The quote a customer receives: company and customer blocks, the one-time project with
//! its phases and hours, the recurring services, totals per part with taxes, notes and
//! terms. Never a cost or a margin.

use crate::blocks::{self, Head, Party, PrintedLine};
use crate::layout::{Layout, Paper, Style, BLACK};

/// One part of the quote (one-time, monthly, annual) with its totals rows.
#[derive(Debug, Clone, PartialEq)]
pub struct PrintedPart {
    pub heading: String,
    pub lines: Vec<PrintedLine>,
    /// ("Subtotal", "1,000.00 EUR"), ("Tax 19 % on …", …), ("Total per month", …).
    pub totals: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct QuoteDocument {
    pub paper: Paper,
    pub number: String,
    pub version: u32,
    pub date: String,
    pub valid_until: String,
    pub services_start: String,
    pub company: Party,
    /// PNG or JPEG bytes, printed above the company block.
    pub logo: Option<Vec<u8>>,
    pub customer: Party,
    pub subject: String,
    pub parts: Vec<PrintedPart>,
    /// The summary box: ("One-time project", "…"), ("Per month", "…"), …
    pub summary: Vec<(String, String)>,
    pub notes: String,
    pub terms: String,
    pub footer: String,
}

pub fn render_quote(q: &QuoteDocument) -> Vec<u8> {
    let mut l = Layout::new(q.paper);
    let meta = [
        (
            "Number".to_string(),
            format!("{} (version {})", q.number, q.version),
        ),
        ("Date".to_string(), q.date.clone()),
        ("Valid until".to_string(), q.valid_until.clone()),
        ("Services start".to_string(), q.services_start.clone()),
    ];
    blocks::head(
        &mut l,
        &Head {
            title: "Quote",
            meta: &meta,
            logo: q.logo.as_deref(),
            company: &q.company,
            recipient_label: "QUOTE FOR",
            recipient: &q.customer,
        },
    );
    l.paragraph(&q.subject, 13.0, Style::Bold, BLACK);
    l.y += 3.0;
    for part in &q.parts {
        blocks::heading(&mut l, &part.heading);
        blocks::line_table(&mut l, &part.lines);
        blocks::totals_rows(&mut l, &part.totals);
    }
    blocks::summary_box(&mut l, &q.summary);
    blocks::text_section(&mut l, "Notes", &q.notes);
    blocks::text_section(&mut l, "Terms", &q.terms);
    let id = format!("{}-v{}", q.number, q.version);
    l.finish(
        &format!("Quote {} v{}", q.number, q.version),
        &q.footer,
        &id,
    )
}
