//! The distributor's bill reconciled (DOMAIN.md §10) as a document to file with the month's
//! books: what was matched, each finding with its amount, and each customer's margin.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use vardesk_core::format::{format_decimal, format_money};
use vardesk_core::reconcile::{FindingKind, Reconciliation};
use vardesk_core::settings::{PaperSize, Settings};
use vardesk_core::Currency;

use crate::blocks::{heading, summary_box, title_block};
use crate::layout::{Align, Column, Layout, Paper, Style, BLACK, GREY};

fn kind_label(kind: FindingKind) -> &'static str {
    match kind {
        FindingKind::UnbilledSeats => "Paid, not billed",
        FindingKind::BilledNotBought => "Billed, not on the bill",
        FindingKind::CostDiffers => "Cost differs",
        FindingKind::UnmatchedCharge => "No subscription",
    }
}

/// The reconciliation of `bill` (its file name) as PDF bytes.
pub fn reconciliation_pdf(
    settings: &Settings,
    r: &Reconciliation,
    bill: &str,
    today: NaiveDate,
) -> Vec<u8> {
    let locale = settings.locale.as_str();
    let money = |v: Decimal, code: &str| match Currency::parse(code) {
        Ok(c) => format_money(v, c, locale),
        Err(_) => format_decimal(v, locale),
    };
    let paper = match settings.paper_size {
        PaperSize::A4 => Paper::A4,
        PaperSize::Letter => Paper::Letter,
    };
    let mut l = Layout::new(paper);
    let title = format!("Distributor bill {}", r.period);
    let subtitle = format!(
        "{bill}: {} lines, {} subscription charges, {} matched. Prepared {}.",
        r.summary.rows,
        r.groups,
        r.matched,
        today.format("%-d %B %Y")
    );
    title_block(&mut l, &title, &settings.company_name, &subtitle);

    let count = |k: FindingKind| {
        r.findings
            .iter()
            .filter(|f| f.kind == k)
            .count()
            .to_string()
    };
    let mut rows: Vec<(String, String)> = [
        FindingKind::UnbilledSeats,
        FindingKind::BilledNotBought,
        FindingKind::CostDiffers,
        FindingKind::UnmatchedCharge,
    ]
    .into_iter()
    .map(|k| (kind_label(k).to_string(), count(k)))
    .collect();
    for t in &r.totals {
        rows.push((
            format!("Margin this month ({})", t.currency),
            money(t.margin, &t.currency),
        ));
    }
    summary_box(&mut l, &rows);

    let w = l.width();
    let col = |title: &str, width: f32, align: Align| Column {
        title: title.into(),
        width,
        align,
    };
    heading(&mut l, "Findings");
    if r.findings.is_empty() {
        l.paragraph(
            "Every charge on the bill matches what is billed.",
            9.0,
            Style::Regular,
            BLACK,
        );
    } else {
        let columns = [
            col("Customer", w * 0.24, Align::Left),
            col("Subscription", w * 0.30, Align::Left),
            col("Finding", w * 0.20, Align::Left),
            col("Seats", w * 0.09, Align::Right),
            col("Amount", w * 0.17, Align::Right),
        ];
        let table: Vec<Vec<String>> = r
            .findings
            .iter()
            .map(|f| {
                vec![
                    f.customer.clone(),
                    if f.description.is_empty() {
                        f.sku.clone()
                    } else {
                        f.description.clone()
                    },
                    kind_label(f.kind).to_string(),
                    format_decimal(f.quantity, locale),
                    money(f.amount, &f.currency),
                ]
            })
            .collect();
        l.table(&columns, &table);
    }
    l.y += 4.0;
    heading(&mut l, "Margin per customer");
    let columns = [
        col("Customer", w * 0.40, Align::Left),
        col("Billed", w * 0.20, Align::Right),
        col("Cost on the bill", w * 0.20, Align::Right),
        col("Margin", w * 0.20, Align::Right),
    ];
    let table: Vec<Vec<String>> = r
        .customers
        .iter()
        .chain(r.totals.iter())
        .map(|m| {
            vec![
                if m.customer_id == 0 {
                    "Total".to_string()
                } else {
                    m.customer.clone()
                },
                money(m.billed, &m.currency),
                money(m.cost, &m.currency),
                money(m.margin, &m.currency),
            ]
        })
        .collect();
    l.table(&columns, &table);
    l.y += 5.0;
    l.paragraph(
        "Amounts: for seats paid and not billed, what they cost on this bill; for seats billed \
         and not on the bill, what they are billed; for a cost difference, the bill's unit cost; \
         for a charge no subscription matches, what the bill charges. Billed: what the \
         customer's Microsoft licences are billed for the month.",
        7.5,
        Style::Regular,
        GREY,
    );
    let footer = format!("{} · {title}", settings.company_name);
    l.finish(
        &title,
        &footer,
        "Page {page} of {pages}",
        &format!("reconciliation-{}", r.period),
    )
}
