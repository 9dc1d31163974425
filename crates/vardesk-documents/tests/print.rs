//! Printing for real: an invoice PDF sent through `print_pdf` to a CUPS server's cups-pdf
//! virtual printer arrives as a PDF with the invoice's text. scripts/test.sh starts that
//! server (scripts/setup-cups-pdf.sh) and sets VARDESK_PRINTER and VARDESK_PRINT_OUT; in
//! CI the test fails without them, elsewhere it says it was skipped.

use std::path::PathBuf;
use std::time::{Duration, Instant};

mod common;
use common::{sample_store, tool};

#[test]
fn an_invoice_printed_through_cups_arrives_as_a_pdf() {
    let (Some(printer), Some(out)) = (
        std::env::var_os("VARDESK_PRINTER"),
        std::env::var_os("VARDESK_PRINT_OUT"),
    ) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must run the print test: start CUPS with scripts/setup-cups-pdf.sh"
        );
        eprintln!("skipped: no VARDESK_PRINTER/VARDESK_PRINT_OUT (scripts/setup-cups-pdf.sh)");
        return;
    };
    let (_dir, mut store) = sample_store();
    let id = store.run_billing("2026-12").unwrap().created[0];
    let row = store
        .issue_invoice(id, "2026-12-01".parse().unwrap())
        .unwrap();
    let pdf =
        vardesk_documents::views::invoice_pdf(&store, id, "2026-12-01".parse().unwrap()).unwrap();
    let work = tempfile::tempdir().unwrap();
    let file = work.path().join("invoice.pdf");
    std::fs::write(&file, &pdf).unwrap();
    // A unique job title: cups-pdf names the file after it.
    let title = format!("vardesk-print-test-{}-{}", std::process::id(), id);
    // The printer is one the system lists (the print dialog offers exactly these).
    let listed = vardesk_pdf::print::printers();
    assert!(
        listed
            .iter()
            .any(|p| Some(p.name.as_str()) == printer.to_str()),
        "{listed:?}"
    );
    let said = vardesk_pdf::print::print_pdf(&file, &title, printer.to_str(), 1).unwrap();
    assert!(
        said.starts_with("job CIPDF-") || said.starts_with("job "),
        "{said}"
    );

    let printed = PathBuf::from(out).join(format!("{title}.pdf"));
    let start = Instant::now();
    let text = loop {
        // The file is written while the job runs: read it once pdftotext accepts it whole.
        if let Ok(bytes) = std::fs::read(&printed) {
            if bytes.ends_with(b"%%EOF\n") || bytes.ends_with(b"%%EOF") {
                break tool("pdftotext", &[], &bytes);
            }
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "{} never arrived",
            printed.display()
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    let number = row.number.unwrap();
    assert!(text.contains(&number), "{text}");
    assert!(text.contains("Müller & Söhne GmbH"), "{text}");
    std::fs::remove_file(&printed).ok();
}

#[test]
fn a_printer_that_does_not_exist_is_a_sentence_not_a_crash() {
    if std::process::Command::new("lp").arg("-h").output().is_err() {
        eprintln!("skipped: no lp here");
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let file = work.path().join("x.pdf");
    std::fs::write(&file, b"%PDF-1.4\n%%EOF\n").unwrap();
    let err =
        vardesk_pdf::print::print_pdf(&file, "x", Some("NoSuchPrinter-VarDesk"), 2).unwrap_err();
    assert!(
        err.message.starts_with("The document was not printed"),
        "{}",
        err.message
    );
}
