//! `vardesk projection`: the annuity projection as text, JSON, CSV or PDF.

use std::path::Path;

use serde_json::json;
use vardesk_core::CoreError;
use vardesk_store::today;
use vardesk_store::Store;

use crate::print_json;

pub(crate) fn run(
    path: &Path,
    months: Option<u32>,
    csv: Option<&Path>,
    json: bool,
) -> Result<(), CoreError> {
    let store = Store::open(path)?;
    let mut form = store.default_assumptions(today())?;
    if let Some(m) = months {
        form.months = m.to_string();
    }
    let assumptions = form.validate()?;
    let report = store.projection(&assumptions, today())?;
    if let Some(file) = csv {
        std::fs::write(file, vardesk_core::annuity::report_csv(&report)).map_err(|e| {
            CoreError::validation("csv", format!("{} cannot be written: {e}.", file.display()))
        })?;
    }
    if json {
        print_json(&json!({
            "assumptions": form,
            "currency": report.currency,
            "start": report.start,
            "months": report.months,
            "rows": report.rows,
            "crossover_month": report.summary.crossover_month,
            "summary": report.summary,
        }));
        return Ok(());
    }
    let c = report.currency;
    let f = |d| c.format_plain(d);
    println!(
        "{:<8}  {:>14}  {:>14}  {:>14}  {:>14}  {:>16}  {:>16}",
        "month", "mrr", "arr", "margin", "one-time", "cum. recurring", "cum. one-time"
    );
    for r in &report.rows {
        println!(
            "{:<8}  {:>14}  {:>14}  {:>14}  {:>14}  {:>16}  {:>16}",
            r.period,
            f(r.mrr),
            f(r.arr),
            f(r.recurring_margin),
            f(r.one_time),
            f(r.cumulative_recurring),
            f(r.cumulative_one_time)
        );
    }
    let s = &report.summary;
    println!(
        "End MRR {} {c}, ARR {} {c}. {}.",
        f(s.end_mrr),
        f(s.end_arr),
        s.crossover_text
    );
    Ok(())
}
