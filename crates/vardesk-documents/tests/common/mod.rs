//! What the PDF tests share: a store with sample data, and poppler/qpdf run on bytes.
#![allow(dead_code)] // each test file uses its own part

use std::process::Command;

use chrono::NaiveDate;
use vardesk_core::settings::SettingsForm;
use vardesk_store::Store;

pub fn today() -> NaiveDate {
    "2026-11-23".parse().unwrap()
}

pub fn sample_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_or_create(&dir.path().join("v.sqlite3")).unwrap();
    let profile = SettingsForm {
        company_name: "Northwind Cloud Partners GmbH".into(),
        city: "Köln".into(),
        iban: "DE89 3704 0044 0532 0130 00".into(),
        locale: "de-DE".into(),
        ..vardesk_store::sample::sample_company()
    };
    store.save_settings(&profile).unwrap();
    store.load_sample_data_without_billing(today()).unwrap();
    (dir, store)
}

/// Runs a poppler/qpdf tool on the bytes and returns its output.
pub fn tool(name: &str, args: &[&str], pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("q.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new(name)
        .args(args)
        .arg(&path)
        .args(if name == "pdftotext" {
            vec!["-"]
        } else {
            vec![]
        })
        .output()
        .unwrap_or_else(|e| panic!("{name} is needed for this test (poppler-utils, qpdf): {e}"));
    assert!(
        out.status.success() || name == "qpdf",
        "{name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr)
}

/// The page count pdfinfo reads.
pub fn page_count(pdf: &[u8]) -> usize {
    tool("pdfinfo", &[], pdf)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .expect("pdfinfo prints the page count")
        .trim()
        .parse()
        .expect("a number of pages")
}
