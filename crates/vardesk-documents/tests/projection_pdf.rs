//! The projection PDF as a reader sees it: the crossover in words, the assumptions, both
//! charts drawn as vector paths (no images), and every month in the table.

mod common;

use common::{page_count, sample_store, today, tool};
use vardesk_core::annuity::AssumptionsForm;

#[test]
fn a_ten_year_projection_prints_its_answer_charts_and_every_month() {
    let (_dir, store) = sample_store();
    let form = AssumptionsForm {
        months: "120".into(),
        churn_percent: "1,5".into(),
        ..store.default_assumptions(today()).unwrap()
    };
    let a = form.validate().unwrap();
    let report = store.projection(&a, today()).unwrap();
    let settings = store.require_settings().unwrap();
    let pdf =
        vardesk_pdf::projection::projection_pdf(&settings, &report, &a, Some("Base"), today());
    let text = tool("pdftotext", &["-layout"], &pdf);
    assert!(text.contains("Recurring revenue projection"), "{text}");
    assert!(text.contains("scenario “Base”"), "{text}");
    // The answer, in words, exactly as the screen says it.
    let said = &report.summary.crossover_text;
    let flowing = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flowing.contains(said.as_str()), "{said} not in\n{text}");
    std::fs::write(std::env::temp_dir().join("vardesk-projection.pdf"), &pdf).unwrap();
    assert!(
        text.contains("Churn per month") && text.contains("1,5 %"),
        "{text}"
    );
    // de-DE formatting of the last row's figures, and every month's label.
    let last = report.rows.last().unwrap();
    let de = vardesk_core::format::format_decimal(last.cumulative_recurring, "de-DE");
    assert!(text.contains(&de), "{de} not in the table");
    for row in &report.rows {
        assert!(text.contains(&row.label), "{} missing", row.label);
    }
    let pages = page_count(&pdf);
    assert!((3..=6).contains(&pages), "{pages} pages");
    assert!(text.contains(&format!("Page {pages} of {pages}")));
    // Charts are vector drawings: no image in the file at all.
    let images = tool("pdfimages", &["-list"], &pdf);
    assert_eq!(
        images.lines().count(),
        2,
        "only the header lines:\n{images}"
    );
}
