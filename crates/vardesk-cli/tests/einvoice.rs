//! E-invoices as a partner's tax adviser and customers' systems read them (DOMAIN.md §9):
//! every issued document of the sample books, plus a multi-rate invoice, an exempt one and a
//! credit note, written in every format through `vardesk invoices einvoice` and checked by the
//! official CEN EN 16931 rules and the XRechnung rules (`../shared/einvoice/validate.py`, run
//! on Saxon-HE from the venv that scripts/setup-debian.sh makes). The XML totals equal the
//! ones shown and printed.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

const FORMATS: [&str; 4] = ["facturx", "xrechnung-cii", "xrechnung-ubl", "peppol"];

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The validator and the Python that runs it; the test cannot pass without them.
fn validator() -> (PathBuf, PathBuf) {
    let python = std::env::var_os("VARDESK_EINVOICE_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("target/einvoice-venv/bin/python"));
    let script = std::env::var_os("VARDESK_EINVOICE_KIT")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("../shared/einvoice"))
        .join("validate.py");
    assert!(
        python.exists() && script.exists(),
        "the e-invoice validator is missing ({} and {}): run `bash scripts/setup-debian.sh test`",
        python.display(),
        script.display()
    );
    (python, script)
}

mod common;
use common::Books;

/// Text without grouping marks and spaces, so `1.546,70 EUR` and `1,546.70 EUR` both read
/// `154670`.
fn digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

fn tag(xml: &str, name: &str) -> String {
    let open = xml
        .find(&format!("<{name}"))
        .unwrap_or_else(|| panic!("no {name}"));
    let start = open + xml[open..].find('>').unwrap() + 1;
    let end = start + xml[start..].find('<').unwrap();
    xml[start..end].to_string()
}

#[test]
fn every_issued_document_passes_the_official_rules_in_every_format() {
    let (python, script) = validator();
    let books = Books::empty();
    let out = books.dir.path().join("einvoices");
    std::fs::create_dir_all(&out).unwrap();
    books.ok(&["init", "--sample-data"]);

    // Cases the sample year lacks: two rates on one invoice, an exempt customer, a German
    // public body with its Leitweg-ID, and credit notes (in full and of one seat).
    let multi = books.customer(&[
        "--name",
        "Stadtwerke Musterstadt",
        "--country",
        "DE",
        "--postal-code",
        "50667",
        "--city",
        "Köln",
        "--address-line1",
        "Domkloster 4",
        "--email",
        "rechnung@stadtwerke.example",
        "--buyer-reference",
        "05315000-12345-67",
    ]);
    books.subscribe(&multi, "Microsoft 365 E3", "3", "33.70", "19", "2027-03-01");
    books.subscribe(
        &multi,
        "Fachbuch-Abo (ermäßigt)",
        "3",
        "12.35",
        "7",
        "2027-03-01",
    );
    let museum = books.customer(&[
        "--name",
        "Museum für Kunst",
        "--country",
        "DE",
        "--postal-code",
        "10117",
        "--city",
        "Berlin",
        "--email",
        "verwaltung@museum.example",
        "--tax-treatment",
        "exempt",
        "--exemption-reason",
        "Steuerfrei nach § 4 Nr. 20 UStG",
    ]);
    books.subscribe(
        &museum,
        "Managed services",
        "3",
        "24.00",
        "19",
        "2027-03-01",
    );
    books.json(&["billing", "run", "2027-03", "--issue"]);

    let invoices = |books: &Books| -> Vec<Value> {
        books.json(&["invoices", "list"])["invoices"]
            .as_array()
            .unwrap()
            .clone()
    };
    let reverse_charge = invoices(&books)
        .into_iter()
        .find(|i| i["customer"] == "Fabrikam Pharma B.V." && i["number"].is_string())
        .unwrap();
    let rc = reverse_charge["id"].as_i64().unwrap().to_string();
    books.json(&["invoices", "credit", &rc, "--all"]);
    let german = invoices(&books)
        .into_iter()
        .find(|i| i["customer"] == "Stadtwerke Musterstadt")
        .unwrap();
    let de = german["id"].as_i64().unwrap().to_string();
    books.json(&[
        "invoices",
        "credit",
        &de,
        "--line",
        "1:1",
        "--reason",
        "Seat cancelled",
    ]);

    // A project invoiced with a 30 % deposit: the final invoice deducts it (§6.1, the only
    // negative lines a document has), and is then credited in full.
    let sent = books.json(&["quotes", "list"])["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["status"] == "sent")
        .expect("the sample's sent quote")["id"]
        .to_string();
    let accepted = books.json(&[
        "quotes",
        "accept",
        &sent,
        "--deposit",
        "30",
        "--rest-on",
        "2030-01-15",
    ]);
    let (deposit, last) = (
        accepted["invoice_id"].to_string(),
        accepted["scheduled_invoice_id"].to_string(),
    );
    assert!(books
        .refused(&["invoices", "issue", &last])
        .contains("issue the deposit invoice first"));
    books.ok(&["invoices", "issue", &deposit]);
    books.ok(&["invoices", "issue", &last]);
    let final_invoice = books.json(&["invoices", "show", &last]);
    assert!(
        final_invoice.to_string().contains("-1"),
        "a deduction line: {final_invoice}"
    );
    books.json(&["invoices", "credit", &last, "--all"]);

    let mut written = 0;
    let mut categories = std::collections::BTreeSet::new();
    for doc in invoices(&books)
        .iter()
        .filter(|i| i["number"].is_string() && i["status"] != "draft")
    {
        let id = doc["id"].as_i64().unwrap().to_string();
        let shown = books.json(&["invoices", "show", &id]);
        for t in shown["tax"].as_array().unwrap() {
            categories.insert(t["category"].as_str().unwrap().to_string());
        }
        let pdf = out.join(format!("{id}-printed.pdf"));
        books.ok(&["invoices", "pdf", &id, "--out", pdf.to_str().unwrap()]);
        let printed = String::from_utf8(
            Command::new("pdftotext")
                .args([pdf.to_str().unwrap(), "-"])
                .output()
                .unwrap()
                .stdout,
        )
        .unwrap();
        for format in FORMATS {
            let extension = if format == "facturx" { "pdf" } else { "xml" };
            let file = out.join(format!("{id}-{format}.{extension}"));
            books.ok(&[
                "invoices",
                "einvoice",
                &id,
                "--format",
                format,
                "--out",
                file.to_str().unwrap(),
            ]);
            if format == "facturx" {
                // Its XML is the CII below with Factur-X's identifier; the PDF is checked by
                // the validator (attachment, XMP, OutputIntent, /AF, fonts).
                written += 1;
                continue;
            }
            let xml = std::fs::read_to_string(&file).unwrap();
            let (total, tax) = if xml.contains("CrossIndustryInvoice") {
                (
                    tag(&xml, "ram:GrandTotalAmount"),
                    tag(&xml, "ram:TaxTotalAmount"),
                )
            } else {
                (
                    tag(&xml, "cbc:TaxInclusiveAmount"),
                    tag(&xml, "cbc:TaxAmount"),
                )
            };
            // The XML's figures are the shown and printed ones, to the cent.
            let number: &str = doc["number"].as_str().unwrap();
            assert_eq!(total, shown["total"].as_str().unwrap(), "{number} {format}");
            let shown_tax: rust_decimal::Decimal = shown["tax"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| {
                    t["amount"]
                        .as_str()
                        .unwrap()
                        .parse::<rust_decimal::Decimal>()
                        .unwrap()
                })
                .sum();
            assert_eq!(
                tax.parse::<rust_decimal::Decimal>().unwrap(),
                shown_tax,
                "{number}"
            );
            assert!(
                digits(&printed).contains(&digits(&total)),
                "{number}: the PDF prints the total {total}"
            );
            written += 1;
        }
    }
    for category in ["S", "AE", "O", "E"] {
        assert!(
            categories.contains(category),
            "no {category} document: {categories:?}"
        );
    }
    assert!(written > 400, "{written} files");

    let files: Vec<PathBuf> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.ends_with(".xml") || name.ends_with("-facturx.pdf")
        })
        .collect();
    let result = Command::new(&python)
        .arg(&script)
        .args(&files)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&result.stdout).to_string()
        + &String::from_utf8_lossy(&result.stderr);
    let summary = report.lines().last().unwrap_or_default().to_string();
    assert!(
        result.status.success() && summary == format!("{} passed, 0 failed", files.len()),
        "{report}"
    );
    println!("{summary}");
}

#[test]
fn a_format_that_lacks_a_field_is_refused_naming_it() {
    let books = Books::empty();
    books.ok(&["init", "--company", "Acme IT GmbH", "--country", "DE"]);
    books.ok(&["settings", "set", "vat_id", "DE136695976"]);
    books.ok(&["settings", "set", "iban", "DE89 3704 0044 0532 0130 00"]);
    let customer = books.customer(&["--name", "Kunde", "--country", "DE"]);
    books.subscribe(&customer, "Seats", "3", "10", "19", "2027-03-01");
    books.json(&["billing", "run", "2027-03", "--issue"]);
    let id = books.json(&["invoices", "list"])["invoices"][0]["id"]
        .as_i64()
        .unwrap()
        .to_string();
    let out = books.db.clone() + ".xml";
    for (format, says) in [
        ("xrechnung-ubl", "contact person"),
        ("peppol", "electronic address"),
        ("pdf", "not an e-invoice format"),
    ] {
        let result = Command::new(env!("CARGO_BIN_EXE_vardesk"))
            .args([
                "--db", &books.db, "invoices", "einvoice", &id, "--format", format, "--out", &out,
            ])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&result.stderr);
        assert_eq!(result.status.code(), Some(1), "{format}: {err}");
        assert!(err.contains(says), "{format}: {err}");
    }
}
