//! The quote a customer receives: company and customer blocks, the one-time project with
//! its phases and hours, the recurring services, totals per part with taxes, notes and
//! terms. Never a cost or a margin.

use crate::layout::{
    width_mm, wrap, Align, Column, Layout, Paper, Style, ACCENT, BLACK, GREY, RULE,
};

/// A party's block: the name in bold, then its lines (address, tax id, contact).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Party {
    pub name: String,
    pub lines: Vec<String>,
}

/// A line as printed, every figure already formatted.
#[derive(Debug, Clone, PartialEq)]
pub struct PrintedLine {
    pub description: String,
    pub quantity: String,
    pub unit: String,
    pub unit_price: String,
    pub discount: String,
    pub amount: String,
}

/// One part of the quote (one-time, monthly, annual) with its totals rows.
#[derive(Debug, Clone, PartialEq)]
pub struct PrintedPart {
    pub heading: String,
    pub lines: Vec<PrintedLine>,
    /// ("Subtotal", "1,000.00 EUR"), ("VAT 19 % on …", …), ("Total per month", …).
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

/// A party block at (x, y), wrapped to 95 mm; returns the y below it.
fn party(layout: &mut Layout, x: f32, y: f32, label: &str, p: &Party) -> f32 {
    let mut y = y;
    if !label.is_empty() {
        layout.text(x, y, 7.5, Style::Bold, GREY, Align::Left, label);
        y += 4.6;
    }
    for line in wrap(&p.name, 95.0, 10.5, Style::Bold) {
        layout.text(x, y, 10.5, Style::Bold, BLACK, Align::Left, &line);
        y += 4.8;
    }
    for line in p
        .lines
        .iter()
        .flat_map(|l| wrap(l, 95.0, 8.5, Style::Regular))
    {
        layout.text(x, y, 8.5, Style::Regular, GREY, Align::Left, &line);
        y += 4.0;
    }
    y
}

pub fn render_quote(q: &QuoteDocument) -> Vec<u8> {
    let mut l = Layout::new(q.paper);
    let (left, right) = (l.left, l.right);

    // Company block left, the quote's identity right.
    let mut top = l.y;
    if let Some(logo) = &q.logo {
        if let Some(h) = l.image(logo, left, top, 60.0, 18.0) {
            top += h + 2.0;
        }
    }
    let company_end = party(&mut l, left, top + 4.0, "", &q.company);
    l.text(
        right,
        l.y + 6.0,
        20.0,
        Style::Bold,
        ACCENT,
        Align::Right,
        "Quote",
    );
    let meta = [
        ("Number", format!("{} (version {})", q.number, q.version)),
        ("Date", q.date.clone()),
        ("Valid until", q.valid_until.clone()),
        ("Services start", q.services_start.clone()),
    ];
    let mut y = l.y + 13.0;
    let widest = meta
        .iter()
        .map(|(_, v)| width_mm(v, 8.5, Style::Bold))
        .fold(0.0, f32::max);
    for (label, value) in &meta {
        l.text(
            right - widest - 4.0,
            y,
            8.5,
            Style::Regular,
            GREY,
            Align::Right,
            label,
        );
        l.text(right, y, 8.5, Style::Bold, BLACK, Align::Right, value);
        y += 4.4;
    }
    l.y = company_end.max(y) + 6.0;
    let customer_top = l.y;
    let customer_end = party(&mut l, left, customer_top, "QUOTE FOR", &q.customer);
    l.y = customer_end + 5.0;
    l.rule(left, right, l.y, 0.6, RULE);
    l.y += 8.0;
    l.paragraph(&q.subject, 13.0, Style::Bold, BLACK);
    l.y += 3.0;

    let width = l.width();
    let columns = |unit_header: &str| {
        vec![
            Column {
                title: "Description".into(),
                width: width - 113.0,
                align: Align::Left,
            },
            Column {
                title: "Qty".into(),
                width: 17.0,
                align: Align::Right,
            },
            Column {
                title: "Unit".into(),
                width: 22.0,
                align: Align::Left,
            },
            Column {
                title: unit_header.into(),
                width: 28.0,
                align: Align::Right,
            },
            Column {
                title: "Disc.".into(),
                width: 14.0,
                align: Align::Right,
            },
            Column {
                title: "Amount".into(),
                width: 32.0,
                align: Align::Right,
            },
        ]
    };
    for part in &q.parts {
        l.ensure(30.0);
        l.y += 4.0;
        l.text(
            left,
            l.y,
            11.0,
            Style::Bold,
            ACCENT,
            Align::Left,
            &part.heading,
        );
        l.y += 3.0;
        let rows: Vec<Vec<String>> = part
            .lines
            .iter()
            .map(|p| {
                vec![
                    p.description.clone(),
                    p.quantity.clone(),
                    p.unit.clone(),
                    p.unit_price.clone(),
                    p.discount.clone(),
                    p.amount.clone(),
                ]
            })
            .collect();
        l.table(&columns("Unit price"), &rows);
        l.ensure(part.totals.len() as f32 * 5.0 + 2.0);
        l.y += 1.5;
        let last = part.totals.len().saturating_sub(1);
        for (i, (label, value)) in part.totals.iter().enumerate() {
            let style = if i == last {
                Style::Bold
            } else {
                Style::Regular
            };
            l.y += 4.6;
            l.text(right - 36.0, l.y, 8.5, style, BLACK, Align::Right, label);
            l.text(right - 1.5, l.y, 8.5, style, BLACK, Align::Right, value);
        }
        l.y += 3.0;
    }

    // Summary box.
    if !q.summary.is_empty() {
        let h = q.summary.len() as f32 * 5.2 + 6.0;
        l.ensure(h + 6.0);
        l.y += 5.0;
        let x = right - 95.0;
        l.fill(x, l.y, 95.0, h, crate::layout::BAND);
        let mut y = l.y + 6.0;
        for (label, value) in &q.summary {
            l.text(x + 4.0, y, 9.0, Style::Bold, BLACK, Align::Left, label);
            l.text(right - 4.0, y, 9.0, Style::Bold, BLACK, Align::Right, value);
            y += 5.2;
        }
        l.y += h + 4.0;
    }

    for (heading, text) in [("Notes", &q.notes), ("Terms", &q.terms)] {
        if text.trim().is_empty() {
            continue;
        }
        l.ensure(14.0);
        l.y += 6.0;
        l.text(left, l.y, 9.5, Style::Bold, BLACK, Align::Left, heading);
        l.y += 1.0;
        l.paragraph(text, 8.5, Style::Regular, BLACK);
    }
    let id = format!("{}-v{}", q.number, q.version);
    l.finish(
        &format!("Quote {} v{}", q.number, q.version),
        &q.footer,
        &id,
    )
}
