//! The projection as a printable document for the owner's bank or partner meeting: the
//! assumptions, the summary with the crossover in words, two vector charts (MRR by cohort
//! with the recurring margin; cumulative recurring against one-time revenue) and the table.

use chrono::NaiveDate;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use vardesk_core::annuity::{Assumptions, Report};
use vardesk_core::format::{format_decimal, format_money};
use vardesk_core::settings::{PaperSize, Settings};

use crate::blocks::{heading, summary_box, title_block};
use crate::layout::{
    width_mm, wrap, Align, Column, Layout, Paper, Style, ACCENT, BLACK, GREY, RULE,
};

/// Cohort bands, oldest (the book at the start) darkest.
const BANDS: [(u8, u8, u8); 11] = [
    (31, 95, 191),
    (56, 132, 214),
    (86, 160, 224),
    (40, 150, 160),
    (70, 178, 170),
    (110, 196, 170),
    (150, 206, 150),
    (186, 214, 128),
    (222, 206, 112),
    (234, 176, 96),
    (226, 140, 96),
];
const MARGIN_LINE: (u8, u8, u8) = (20, 20, 20);
const ONE_TIME_LINE: (u8, u8, u8) = (214, 110, 40);

/// A chart coordinate from a money figure. Floats only place ink on the page; every figure
/// printed as text comes from the decimals.
fn ink(v: Decimal) -> f32 {
    v.to_f32().unwrap_or(0.0)
}

/// A round step for about `ticks` gridlines up to `max`: 1, 2 or 5 × 10^k.
fn nice_step(max: Decimal, ticks: u32) -> Decimal {
    let raw = max / Decimal::from(ticks.max(1));
    let mut magnitude = Decimal::ONE;
    while magnitude * Decimal::TEN <= raw {
        magnitude *= Decimal::TEN;
    }
    for m in [1, 2, 5, 10] {
        let step = magnitude * Decimal::from(m);
        if step >= raw {
            return step;
        }
    }
    magnitude * Decimal::TEN
}

/// A named series with its colour and one value per month.
type Series<'a> = (&'a str, (u8, u8, u8), Vec<Decimal>);

struct Chart<'a> {
    title: String,
    /// Each series' values per month; areas are stacked in order.
    areas: Vec<Series<'a>>,
    lines: Vec<Series<'a>>,
    /// A month to mark with a vertical line and its label.
    marker: Option<(usize, String)>,
}

/// Draws a chart across the content width, `height` mm tall, then its legend.
fn chart(l: &mut Layout, c: &Chart<'_>, labels: &[String], locale: &str, height: f32) {
    let legend_rows = 2.0;
    l.ensure(8.0 + height + 10.0 + legend_rows * 4.5);
    l.y += 6.0;
    let (left, y0) = (l.left, l.y);
    l.text(left, y0, 9.5, Style::Bold, BLACK, Align::Left, &c.title);
    let top = y0 + 4.0;
    let months = labels.len().max(1);
    let mut stacked = vec![Decimal::ZERO; months];
    let mut tops: Vec<Vec<Decimal>> = Vec::new();
    for (_, _, values) in &c.areas {
        for (s, v) in stacked.iter_mut().zip(values) {
            *s += *v;
        }
        tops.push(stacked.clone());
    }
    let max = tops
        .last()
        .into_iter()
        .flatten()
        .chain(c.lines.iter().flat_map(|(_, _, v)| v.iter()))
        .copied()
        .max()
        .unwrap_or_default()
        .max(Decimal::ONE);
    let step = nice_step(max, 5);
    let ceiling = (max / step).ceil() * step;

    // The y axis: gridlines with their figures, widest label sets the plot's left edge.
    let tick_labels: Vec<(Decimal, String)> = (0..=((ceiling / step).to_u32().unwrap_or(5)))
        .map(|i| {
            let v = step * Decimal::from(i);
            (v, format_decimal(v.round(), locale))
        })
        .collect();
    let label_w = tick_labels
        .iter()
        .map(|(_, t)| width_mm(t, 7.0, Style::Regular))
        .fold(0.0, f32::max);
    let plot_left = left + label_w + 2.5;
    let plot_w = l.right - plot_left;
    let bottom = top + height;
    let x_of = |m: usize| plot_left + plot_w * m as f32 / (months.max(2) - 1) as f32;
    let y_of = |v: Decimal| bottom - height * ink(v) / ink(ceiling);
    for (v, text) in &tick_labels {
        let y = y_of(*v);
        l.rule(plot_left, plot_left + plot_w, y, 0.25, RULE);
        l.text(
            plot_left - 1.5,
            y + 1.2,
            7.0,
            Style::Regular,
            GREY,
            Align::Right,
            text,
        );
    }
    // Areas from the top band down, each from the previous band's top to its own.
    for (i, (_, rgb, _)) in c.areas.iter().enumerate() {
        let upper = &tops[i];
        let mut points: Vec<(f32, f32)> = (0..months).map(|m| (x_of(m), y_of(upper[m]))).collect();
        match i.checked_sub(1).map(|j| &tops[j]) {
            Some(lower) => points.extend((0..months).rev().map(|m| (x_of(m), y_of(lower[m])))),
            None => points.extend([(x_of(months - 1), bottom), (x_of(0), bottom)]),
        }
        l.polygon(&points, *rgb);
    }
    for (_, rgb, values) in &c.lines {
        let points: Vec<(f32, f32)> = values
            .iter()
            .enumerate()
            .map(|(m, v)| (x_of(m), y_of(*v)))
            .collect();
        l.polyline(&points, 1.4, *rgb);
    }
    if let Some((m, label)) = &c.marker {
        let x = x_of(*m);
        l.polyline(&[(x, top), (x, bottom)], 0.9, BLACK);
        let w = width_mm(label, 7.0, Style::Bold);
        let tx = if x + 1.5 + w > l.right {
            x - 1.5 - w
        } else {
            x + 1.5
        };
        l.text(tx, top + 3.0, 7.0, Style::Bold, BLACK, Align::Left, label);
    }
    l.rule(plot_left, plot_left + plot_w, bottom, 0.6, GREY);
    // X labels: January of each year (or every month on short horizons), never crowded.
    let every = if months <= 13 { 1 } else { 12 };
    let mut last_end = f32::MIN;
    for (m, label) in labels.iter().enumerate() {
        let january = label.starts_with("Jan");
        if !(every == 1 || january) {
            continue;
        }
        let w = width_mm(label, 7.0, Style::Regular);
        let x = (x_of(m) - w / 2.0).clamp(plot_left, l.right - w);
        if x < last_end + 2.0 {
            continue;
        }
        l.text(
            x,
            bottom + 4.0,
            7.0,
            Style::Regular,
            GREY,
            Align::Left,
            label,
        );
        last_end = x + w;
    }
    // Legend: swatch and label, wrapping onto further rows.
    let mut x = plot_left;
    let mut y = bottom + 9.0;
    let entries = c
        .areas
        .iter()
        .map(|(n, rgb, _)| (*n, *rgb, true))
        .chain(c.lines.iter().map(|(n, rgb, _)| (*n, *rgb, false)));
    for (name, rgb, area) in entries {
        let w = 5.0 + width_mm(name, 7.0, Style::Regular) + 4.0;
        if x + w > l.right {
            x = plot_left;
            y += 4.5;
        }
        if area {
            l.fill(x, y - 2.6, 3.2, 3.2, rgb);
        } else {
            l.polyline(&[(x, y - 1.0), (x + 3.2, y - 1.0)], 1.4, rgb);
        }
        l.text(x + 4.4, y, 7.0, Style::Regular, BLACK, Align::Left, name);
        x += w;
    }
    l.y = y + 3.0;
}

/// The projection PDF. `scenario` names the saved assumptions, when they are one.
pub fn projection_pdf(
    settings: &Settings,
    report: &Report,
    assumptions: &Assumptions,
    scenario: Option<&str>,
    today: NaiveDate,
) -> Vec<u8> {
    let locale = settings.locale.as_str();
    let c = report.currency;
    let money = |v: Decimal| format_money(v, c, locale);
    let paper = match settings.paper_size {
        PaperSize::A4 => Paper::A4,
        PaperSize::Letter => Paper::Letter,
    };
    let mut l = Layout::new(paper);
    let first = report
        .rows
        .first()
        .map(|r| r.label.clone())
        .unwrap_or_default();
    let last = report
        .rows
        .last()
        .map(|r| r.label.clone())
        .unwrap_or_default();

    let subtitle = format!(
        "{first} – {last} ({} months, {}){}. Prepared {}.",
        report.months,
        c.code(),
        scenario
            .map(|s| format!(", scenario “{s}”"))
            .unwrap_or_default(),
        today.format("%-d %B %Y")
    );
    title_block(
        &mut l,
        "Recurring revenue projection",
        &settings.company_name,
        &subtitle,
    );
    let left = l.left;

    // The answer first: the crossover in words, then the summary figures.
    l.y += 8.0;
    for line in wrap(&report.summary.crossover_text, l.width(), 12.0, Style::Bold) {
        l.text(left, l.y, 12.0, Style::Bold, ACCENT, Align::Left, &line);
        l.y += 6.0;
    }
    let s = &report.summary;
    summary_box(
        &mut l,
        &[
            ("MRR at the end".into(), money(s.end_mrr)),
            ("ARR at the end".into(), money(s.end_arr)),
            ("Recurring revenue, total".into(), money(s.total_recurring)),
            (
                "Recurring margin, total".into(),
                money(s.total_recurring_margin),
            ),
            ("One-time revenue, total".into(), money(s.total_one_time)),
        ],
    );

    heading(&mut l, "Assumptions");
    let form = assumptions.form();
    let yes_no = |b: bool| if b { "included" } else { "left out" }.to_string();
    let num = |t: &str| format_decimal(t.parse().unwrap_or_default(), locale);
    let pct = |t: &str| format!("{} %", num(t));
    let price = |t: &str| format!("{} {}", num(t), c.code());
    let pairs = [
        ("Churn per month", pct(&form.churn_percent)),
        ("Expansion per month", pct(&form.expansion_percent)),
        ("Price rise every 12 months", pct(&form.uplift_percent)),
        ("New projects per month", num(&form.projects_per_month)),
        ("Seats per project", num(&form.seats_per_project)),
        ("Price per seat and month", price(&form.price_per_seat)),
        ("Cost per seat and month", price(&form.cost_per_seat)),
        ("One-time fee per project", price(&form.fee_per_project)),
        (
            "Accepted work not yet invoiced",
            yes_no(form.include_accepted),
        ),
        (
            "Sent quotes, weighted by win probability",
            yes_no(form.include_pipeline),
        ),
    ];
    let half = l.width() / 2.0;
    for pair in pairs.chunks(2) {
        l.ensure(5.0);
        l.y += 4.6;
        for (i, (label, value)) in pair.iter().enumerate() {
            let x = left + half * i as f32;
            l.text(x, l.y, 8.5, Style::Regular, GREY, Align::Left, label);
            l.text(
                x + half - 4.0,
                l.y,
                8.5,
                Style::Bold,
                BLACK,
                Align::Right,
                value,
            );
        }
    }

    let labels: Vec<String> = report.rows.iter().map(|r| r.label.clone()).collect();
    let mrr_chart = Chart {
        title: format!("Monthly recurring revenue by start month ({})", c.code()),
        areas: report
            .layers
            .iter()
            .enumerate()
            .map(|(i, layer)| {
                (
                    layer.label.as_str(),
                    BANDS[i.min(BANDS.len() - 1)],
                    layer.values.clone(),
                )
            })
            .collect(),
        lines: vec![(
            "Recurring margin",
            MARGIN_LINE,
            report.rows.iter().map(|r| r.recurring_margin).collect(),
        )],
        marker: None,
    };
    chart(&mut l, &mrr_chart, &labels, locale, 62.0);
    let cumulative = Chart {
        title: format!("Cumulative recurring and one-time revenue ({})", c.code()),
        areas: Vec::new(),
        lines: vec![
            (
                "Cumulative recurring",
                ACCENT,
                report.rows.iter().map(|r| r.cumulative_recurring).collect(),
            ),
            (
                "Cumulative one-time (projects)",
                ONE_TIME_LINE,
                report.rows.iter().map(|r| r.cumulative_one_time).collect(),
            ),
        ],
        marker: s.crossover_month.map(|m| {
            let m = m as usize;
            (
                m,
                format!("Crossover: {}", labels.get(m).cloned().unwrap_or_default()),
            )
        }),
    };
    chart(&mut l, &cumulative, &labels, locale, 55.0);

    heading(&mut l, "Month by month");
    let w = l.width();
    let first_col = 19.0;
    let other = (w - first_col) / 7.0;
    let col = |title: &str, width: f32, align: Align| Column {
        title: title.into(),
        width,
        align,
    };
    let columns = [
        col("Month", first_col, Align::Left),
        col("MRR", other, Align::Right),
        col("ARR", other, Align::Right),
        col("Cost", other, Align::Right),
        col("Margin", other, Align::Right),
        col("One-time", other, Align::Right),
        col("Σ recurring", other, Align::Right),
        col("Σ one-time", other, Align::Right),
    ];
    let figure = |v: Decimal| format_decimal(c.round(v), locale);
    let rows: Vec<Vec<String>> = report
        .rows
        .iter()
        .map(|r| {
            vec![
                r.label.clone(),
                figure(r.mrr),
                figure(r.arr),
                figure(r.recurring_cost),
                figure(r.recurring_margin),
                figure(r.one_time),
                figure(r.cumulative_recurring),
                figure(r.cumulative_one_time),
            ]
        })
        .collect();
    l.table(&columns, &rows);
    l.y += 5.0;
    l.paragraph(
        &format!(
            "Amounts in {}. Σ: cumulative from the first month. MRR at month m is last month's MRR × (1 − churn + expansion), raised \
             by the price rise every 12 months, plus the revenue starting that month; a Microsoft \
             licence with a term keeps (1 − churn)^months of its term and takes the price rises \
             only when it renews. Figures are rounded for display only.",
            c.code()
        ),
        7.5,
        Style::Regular,
        GREY,
    );

    let footer = format!(
        "{} · Recurring revenue projection · {first} – {last}",
        settings.company_name
    );
    l.finish(
        "Recurring revenue projection",
        &footer,
        "Page {page} of {pages}",
        &format!("projection-{}-{}", report.start, report.months),
    )
}

#[cfg(test)]
mod tests {
    use super::nice_step;
    use rust_decimal::Decimal;

    #[test]
    fn axis_steps_are_round() {
        let step = |max: i64| nice_step(Decimal::from(max), 5).to_string();
        assert_eq!(step(14_760), "5000");
        assert_eq!(step(9_000), "2000");
        assert_eq!(step(4), "1");
        assert_eq!(step(1_000_000), "200000");
    }
}
