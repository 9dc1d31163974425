//! The blocks quotes and invoices share: the head (logo, company, title and identity,
//! recipient), the line table, totals rows, a summary box and text sections.

use crate::layout::{
    width_mm, wrap, Align, Column, Layout, Style, ACCENT, BAND, BLACK, GREY, RULE,
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

/// The top of a document.
/// The words a document prints around its content, in the customer's language.
#[derive(Debug, Clone, PartialEq)]
pub struct Labels {
    /// Above the customer block: "BILL TO", "QUOTE FOR".
    pub recipient: String,
    /// Description, quantity, unit, unit price, discount, amount.
    pub columns: [String; 6],
    pub notes: String,
    pub terms: String,
    pub payment: String,
    /// Above the VAT sentences (reverse charge, exemption).
    pub tax: String,
    /// "Page {page} of {pages}".
    pub page_of: String,
}

pub struct Head<'a> {
    pub title: &'a str,
    /// (label, value) rows beside the title: number, dates.
    pub meta: &'a [(String, String)],
    pub logo: Option<&'a [u8]>,
    pub company: &'a Party,
    pub recipient_label: &'a str,
    pub recipient: &'a Party,
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

/// Logo and company left, title and identity right, then the recipient and a rule.
pub fn head(l: &mut Layout, h: &Head<'_>) {
    let (left, right, start) = (l.left, l.right, l.y);
    let mut top = start;
    if let Some(logo) = h.logo {
        if let Some(height) = l.image(logo, left, top, 60.0, 18.0) {
            top += height + 2.0;
        }
    }
    let company_end = party(l, left, top + 4.0, "", h.company);
    l.text(
        right,
        start + 6.0,
        20.0,
        Style::Bold,
        ACCENT,
        Align::Right,
        h.title,
    );
    let widest = h
        .meta
        .iter()
        .map(|(_, v)| width_mm(v, 8.5, Style::Bold))
        .fold(0.0, f32::max);
    let mut y = start + 13.0;
    for (label, value) in h.meta {
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
    let recipient_top = company_end.max(y) + 6.0;
    let recipient_end = party(l, left, recipient_top, h.recipient_label, h.recipient);
    l.y = recipient_end + 5.0;
    let rule_y = l.y;
    l.rule(left, right, rule_y, 0.6, RULE);
    l.y += 8.0;
}

/// A section heading in the accent colour.
/// A report's title block: the title with the company on the right, a grey subtitle, a
/// rule under them.
pub fn title_block(l: &mut Layout, title: &str, company: &str, subtitle: &str) {
    l.y += 6.0;
    let (left, right) = (l.left, l.right);
    l.text(left, l.y, 16.0, Style::Bold, BLACK, Align::Left, title);
    l.text(right, l.y, 9.0, Style::Regular, GREY, Align::Right, company);
    l.y += 6.0;
    l.text(left, l.y, 9.0, Style::Regular, GREY, Align::Left, subtitle);
    l.y += 4.0;
    l.rule(left, right, l.y, 0.6, RULE);
}

pub fn heading(l: &mut Layout, text: &str) {
    l.ensure(30.0);
    l.y += 4.0;
    let (x, y) = (l.left, l.y);
    l.text(x, y, 11.0, Style::Bold, ACCENT, Align::Left, text);
    l.y += 3.0;
}

/// What a document's six line columns hold, which decides their widths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineColumns {
    /// Description, quantity, unit, unit price, discount, amount.
    Items,
    /// A reminder's: invoice, issued, due, days overdue, interest, open.
    OverdueInvoices,
}

/// The line table, columns as `kind` lays them out.
pub fn line_table(l: &mut Layout, kind: LineColumns, titles: &[String; 6], lines: &[PrintedLine]) {
    let width = l.width();
    let column = |i: usize, width: f32, align: Align| Column {
        title: titles[i].clone(),
        width,
        align,
    };
    let columns = match kind {
        LineColumns::Items => [
            column(0, width - 128.0, Align::Left),
            column(1, 16.0, Align::Right),
            column(2, 30.0, Align::Left),
            column(3, 34.0, Align::Right),
            column(4, 14.0, Align::Right),
            column(5, 34.0, Align::Right),
        ],
        LineColumns::OverdueInvoices => [
            column(0, width - 132.0, Align::Left),
            column(1, 24.0, Align::Left),
            column(2, 24.0, Align::Left),
            column(3, 26.0, Align::Right),
            column(4, 26.0, Align::Right),
            column(5, 32.0, Align::Right),
        ],
    };
    let rows: Vec<Vec<String>> = lines
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
    l.table(&columns, &rows);
}

/// Right-aligned (label, amount) rows under a table; the last one in bold.
pub fn totals_rows(l: &mut Layout, rows: &[(String, String)]) {
    l.ensure(rows.len() as f32 * 5.0 + 2.0);
    l.y += 1.5;
    let right = l.right;
    let last = rows.len().saturating_sub(1);
    for (i, (label, value)) in rows.iter().enumerate() {
        let style = if i == last {
            Style::Bold
        } else {
            Style::Regular
        };
        l.y += 4.6;
        let y = l.y;
        l.text(right - 40.0, y, 8.5, style, BLACK, Align::Right, label);
        l.text(right - 1.5, y, 8.5, style, BLACK, Align::Right, value);
    }
    l.y += 3.0;
}

/// A shaded box of bold (label, amount) rows at the right.
pub fn summary_box(l: &mut Layout, rows: &[(String, String)]) {
    if rows.is_empty() {
        return;
    }
    let h = rows.len() as f32 * 5.2 + 6.0;
    l.ensure(h + 6.0);
    l.y += 5.0;
    let right = l.right;
    let x = right - 95.0;
    let top = l.y;
    l.fill(x, top, 95.0, h, BAND);
    let mut y = top + 6.0;
    for (label, value) in rows {
        l.text(x + 4.0, y, 9.0, Style::Bold, BLACK, Align::Left, label);
        l.text(right - 4.0, y, 9.0, Style::Bold, BLACK, Align::Right, value);
        y += 5.2;
    }
    l.y += h + 4.0;
}

/// A titled paragraph (notes, terms, payment instructions); nothing when empty.
pub fn text_section(l: &mut Layout, title: &str, text: &str) {
    if text.trim().is_empty() {
        return;
    }
    l.ensure(14.0);
    l.y += 6.0;
    let (x, y) = (l.left, l.y);
    l.text(x, y, 9.5, Style::Bold, BLACK, Align::Left, title);
    l.y += 1.0;
    l.paragraph(text, 8.5, Style::Regular, BLACK);
}

/// The SEPA payment QR code (EPC069-12) with its caption, 28 mm square with its quiet zone.
pub fn payment_qr(l: &mut Layout, payload: &str, caption: &str) {
    let Ok(code) = fast_qr::QRBuilder::new(payload.as_bytes())
        .ecl(fast_qr::ECL::M)
        .build()
    else {
        return;
    };
    let n = code.size;
    let quiet = 4;
    let size = 28.0;
    let module = size / (n + 2 * quiet) as f32;
    l.ensure(size + 4.0);
    l.y += 2.0;
    let (x0, y0) = (l.left, l.y);
    let dark = |x: usize, y: usize| code.data[y * n + x].value();
    // Each run of dark modules in a row is a rectangle, grown downwards while the rows
    // below have the same run.
    let mut cells: Vec<(u16, u16, u16, u16)> = Vec::new();
    let mut open: Vec<usize> = Vec::new(); // indexes into `cells` ending on the last row
    let cell = |v: usize| u16::try_from(v).unwrap_or(u16::MAX);
    for row in 0..n {
        let mut still_open = Vec::new();
        let mut col = 0;
        while col < n {
            if !dark(col, row) {
                col += 1;
                continue;
            }
            let start = col;
            while col < n && dark(col, row) {
                col += 1;
            }
            let (x, w) = (cell(quiet + start), cell(col - start));
            match open.iter().find(|&&i| cells[i].0 == x && cells[i].2 == w) {
                Some(&i) => {
                    cells[i].3 += 1;
                    still_open.push(i);
                }
                None => {
                    still_open.push(cells.len());
                    cells.push((x, cell(quiet + row), w, 1));
                }
            }
        }
        open = still_open;
    }
    l.grid_cells((x0, y0), module, &cells, BLACK);
    l.text(
        x0 + size + 2.0,
        y0 + size / 2.0,
        8.5,
        Style::Regular,
        GREY,
        Align::Left,
        caption,
    );
    l.y += size + 2.0;
}
