//! The quote a customer receives: company and customer blocks, the one-time project with
//! its phases and hours, the recurring services, totals per part with taxes, notes and
//! terms. Never a cost or a margin.

use crate::blocks::{self, Head, Labels, Party, PrintedLine};
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
    /// "Quote", in the customer's language.
    pub title: String,
    /// Number and version, date, valid until, services start.
    pub meta: Vec<(String, String)>,
    pub company: Party,
    /// PNG or JPEG bytes, printed above the company block.
    pub logo: Option<Vec<u8>>,
    pub customer: Party,
    pub subject: String,
    /// The contract term of the recurring services ("Contract term: 36 months"), if any.
    pub term: String,
    pub parts: Vec<PrintedPart>,
    /// The summary box: ("One-time project", "…"), ("Per month", "…"), …
    pub summary: Vec<(String, String)>,
    pub legal: Vec<String>,
    pub notes: String,
    pub terms: String,
    pub footer: String,
    pub labels: Labels,
}

pub fn render_quote(q: &QuoteDocument) -> Vec<u8> {
    let mut l = Layout::new(q.paper);
    blocks::head(
        &mut l,
        &Head {
            title: &q.title,
            meta: &q.meta,
            logo: q.logo.as_deref(),
            company: &q.company,
            recipient_label: &q.labels.recipient,
            recipient: &q.customer,
        },
    );
    l.paragraph(&q.subject, 13.0, Style::Bold, BLACK);
    if !q.term.is_empty() {
        l.paragraph(&q.term, 9.5, Style::Regular, BLACK);
    }
    l.y += 3.0;
    for part in &q.parts {
        blocks::heading(&mut l, &part.heading);
        blocks::line_table(
            &mut l,
            blocks::LineColumns::Items,
            &q.labels.columns,
            &part.lines,
        );
        blocks::totals_rows(&mut l, &part.totals);
    }
    blocks::summary_box(&mut l, &q.summary);
    blocks::text_section(&mut l, &q.labels.tax, &q.legal.join("\n"));
    blocks::text_section(&mut l, &q.labels.notes, &q.notes);
    blocks::text_section(&mut l, &q.labels.terms, &q.terms);
    let id = format!("{}-v{}", q.number, q.version);
    l.finish(
        &format!("{} {} v{}", q.title, q.number, q.version),
        &q.footer,
        &q.labels.page_of,
        &id,
    )
}
