//! Quote PDFs as a customer's viewer reads them: checked with poppler (pdftotext, pdffonts)
//! and qpdf, which scripts/setup-debian.sh installs for the tests.

use vardesk_core::format::format_money;
use vardesk_core::quote::LineForm;
use vardesk_core::settings::SettingsForm;
use vardesk_core::Currency;
use vardesk_documents::views::quote_pdf;
use vardesk_store::quotes::QuoteRecord;
use vardesk_store::Store;

mod common;
use common::{page_count, sample_store, today, tool};

fn quote_for(store: &Store, customer: &str) -> QuoteRecord {
    let rows = store.list_quotes(&Default::default(), today()).unwrap();
    let row = rows.iter().find(|r| r.customer == customer).unwrap();
    store.quote(row.id, today()).unwrap()
}

#[test]
fn the_accepted_sample_quote_reads_right() {
    let (_dir, store) = sample_store();
    let q = quote_for(&store, "Müller & Söhne GmbH");
    let pdf = quote_pdf(&store, &q).unwrap();
    assert!(pdf.starts_with(b"%PDF"));

    let text = tool("pdftotext", &["-layout"], &pdf);
    assert!(text.contains("Müller & Söhne GmbH"), "{text}");
    assert!(text.contains("Northwind Cloud Partners GmbH"));
    assert!(text.contains(&q.number));
    let t = q.totals.as_ref().unwrap();
    let eur = Currency::EUR;
    for amount in [
        t.one_time.total,
        t.one_time.net,
        t.monthly.total,
        t.monthly.net,
        t.first_year,
    ] {
        let shown = format_money(amount, eur, "de-DE");
        assert!(text.contains(&shown), "{shown} missing from\n{text}");
    }
    // Costs and margins are for the partner only.
    for secret in [t.one_time.margin, t.monthly.margin, t.monthly.cost] {
        assert!(
            !text.contains(&format_money(secret, eur, "de-DE")),
            "{secret} printed"
        );
    }
    let lower = text.to_lowercase();
    assert!(
        !lower.contains("margin") && !lower.contains("cost"),
        "{text}"
    );
    assert!(
        text.contains("Seite 1 von"),
        "in the customer's language: {text}"
    );
    // The estimate's phases are written in it too.
    assert!(
        text.contains("Postfachmigration") && text.contains("Analyse und Planung"),
        "{text}"
    );

    let fonts = tool("pdffonts", &[], &pdf);
    let rows: Vec<&str> = fonts
        .lines()
        .skip(2)
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert_eq!(rows.len(), 2, "{fonts}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        // name type… emb sub uni object id: emb/sub/uni are the 3rd to 5th from the end.
        assert_eq!(
            &cols[cols.len() - 5..cols.len() - 2],
            &["yes", "yes", "yes"],
            "{row}"
        );
    }
    let check = tool("qpdf", &["--check"], &pdf);
    assert!(
        check.contains("No syntax or stream encoding errors"),
        "{check}"
    );
}

#[test]
fn the_logo_prints_above_the_company() {
    let (_dir, mut store) = sample_store();
    let logo = include_bytes!("../../../icons/128x128.png");
    assert_eq!(vardesk_pdf::image_size(logo), Some((128, 128)));
    assert_eq!(vardesk_pdf::image_size(b"\x89PNG\r\n\x1a\nbroken"), None);
    store.set_logo(Some(logo)).unwrap();
    let q = quote_for(&store, "Müller & Söhne GmbH");
    let pdf = quote_pdf(&store, &q).unwrap();
    let images = tool("pdfimages", &["-list"], &pdf);
    let pictures = images
        .lines()
        .filter(|l| l.split_whitespace().nth(2) == Some("image"))
        .count();
    assert_eq!(
        pictures, 1,
        "one image (with its transparency mask) expected:\n{images}"
    );
    assert!(images.contains("128   128"), "{images}");
}

#[test]
fn rendering_twice_gives_the_same_bytes() {
    let (_dir, store) = sample_store();
    let q = quote_for(&store, "Fabrikam Pharma B.V.");
    assert_eq!(
        quote_pdf(&store, &q).unwrap(),
        quote_pdf(&store, &q).unwrap()
    );
}

#[test]
fn long_quotes_break_across_pages_with_the_header_repeated() {
    let (_dir, mut store) = sample_store();
    let mut q = quote_for(&store, "Nordlicht Steuerberatung");
    for i in 0..300 {
        q.form.lines.push(LineForm {
            kind: "one_time".into(),
            source: "manual".into(),
            description: format!(
                "Workstation {i}: Łódź-style cutover of Outlook profile and OneDrive"
            ),
            quantity: "1.5".into(),
            unit: "hour".into(),
            unit_price: "95".into(),
            tax_rate_percent: "19".into(),
            ..Default::default()
        });
    }
    let q = store.save_quote(Some(q.id), &q.form, today()).unwrap();
    let pdf = quote_pdf(&store, &q).unwrap();
    let text = tool("pdftotext", &[], &pdf);
    let pages = text.matches("Seite ").count();
    assert!(pages >= 8, "{pages} pages");
    // Every page that continues the one-time table starts with its header again.
    let headers = text.matches("Beschreibung").count();
    assert!(headers >= pages - 1, "{headers} headers on {pages} pages");
    assert!(text.contains(&format!("Seite {pages} von {pages}")));
    assert!(text.contains("Workstation 299"));
}

#[test]
fn an_issued_invoice_prints_as_issued_even_after_the_customer_changes() {
    let (_dir, mut store) = sample_store();
    let id = store.run_billing("2026-12").unwrap().created[0];
    store
        .issue_invoice(id, "2026-12-01".parse().unwrap())
        .unwrap();
    let first = vardesk_documents::views::invoice_pdf(&store, id, today()).unwrap();
    let text = tool("pdftotext", &["-layout"], &first);
    assert!(text.contains("INV-2026-0001"), "{text}");
    assert!(text.contains("Müller & Söhne GmbH"));
    assert!(text.contains("USt. 19 % auf 1.299,75 EUR"), "{text}");
    assert!(text.contains("1.546,70 EUR"));
    assert!(
        text.contains("DE89 3704 0044 0532 0130 00"),
        "payment instructions: {text}"
    );

    let customer = store.list_customers(&Default::default()).unwrap().customers;
    let muller = customer
        .iter()
        .find(|c| c.data.name.starts_with("Müller"))
        .unwrap();
    let mut form = vardesk_core::customer::CustomerForm::from_data(&muller.data);
    form.name = "Müller Holding AG".into();
    store.update_customer(muller.id, &form).unwrap();
    let mut profile = SettingsForm::from_settings(&store.settings().unwrap().unwrap());
    profile.company_name = "Renamed Partner Ltd".into();
    store.save_settings(&profile).unwrap();
    // A payment and a partial credit note later, the reprint is still the original.
    store
        .record_payment(id, "100", "2026-12-10".parse().unwrap(), "Bank", "")
        .unwrap();
    let line = store.invoice(id, today()).unwrap().line_ids[0];
    let back = [vardesk_core::invoicing::CreditLineForm {
        line_id: line,
        quantity: "1".into(),
    }];
    store
        .credit_invoice(id, Some(&back), "2026-12-11".parse().unwrap())
        .unwrap();

    let again = vardesk_documents::views::invoice_pdf(&store, id, today()).unwrap();
    assert_eq!(tool("pdftotext", &["-layout"], &again), text);
}

#[test]
fn a_credit_note_names_the_invoice_it_credits() {
    let (_dir, mut store) = sample_store();
    let id = store.run_billing("2026-12").unwrap().created[0];
    store
        .issue_invoice(id, "2026-12-01".parse().unwrap())
        .unwrap();
    let credit = store
        .credit_invoice(id, None, "2026-12-02".parse().unwrap())
        .unwrap();
    let pdf = vardesk_documents::views::invoice_pdf(&store, credit.id, today()).unwrap();
    let text = tool("pdftotext", &["-layout"], &pdf);
    assert!(
        text.contains("Rechnungskorrektur") && text.contains("CN-2026-0001"),
        "{text}"
    );
    assert!(text.contains("INV-2026-0001"));
    assert!(text.contains("1.546,70 EUR"));
    assert!(!text.contains("Bitte überweisen"), "{text}");
    let voided = vardesk_documents::views::invoice_pdf(&store, id, today()).unwrap();
    assert!(tool("pdftotext", &[], &voided).contains("Storniert durch CN-2026-0001"));
}

#[test]
fn a_500_line_invoice_has_every_line_the_right_page_count_and_its_totals() {
    use vardesk_core::invoicing::{DraftForm, DraftLineForm};
    let (_dir, mut store) = sample_store();
    let customer = store.run_billing("2026-12").unwrap().invoices[0].customer_id;
    let lines = (1..=500)
        .map(|i| DraftLineForm {
            description: format!("Mailbox migration Łódź-{i:03}"),
            quantity: "1".into(),
            unit: "mailbox".into(),
            unit_price: "12.50".into(),
            tax_rate_percent: if i % 2 == 0 { "19" } else { "7" }.into(),
            ..DraftLineForm::default()
        })
        .collect();
    let id = store
        .create_draft(&DraftForm {
            customer_id: Some(customer),
            notes: String::new(),
            lines,
        })
        .unwrap();
    store.issue_invoice(id, today()).unwrap();
    let pdf = vardesk_documents::views::invoice_pdf(&store, id, today()).unwrap();
    assert!(tool("qpdf", &["--check"], &pdf).contains("No syntax or stream encoding errors"));
    let text = tool("pdftotext", &["-layout"], &pdf);
    let pages = page_count(&pdf);
    assert!(pages >= 10, "{pages} pages for 500 lines");
    for page in 1..=pages {
        assert!(
            text.contains(&format!("Seite {page} von {pages}")),
            "page {page}"
        );
    }
    assert_eq!(
        text.matches("Beschreibung").count(),
        pages,
        "the header on every page"
    );
    assert!(text.contains("Łódź-001") && text.contains("Łódź-500"));
    // 250 × 12.50 at each rate: 3,125.00 + 19 % (593.75) and 3,125.00 + 7 % (218.75).
    assert!(text.contains("USt. 19 % auf 3.125,00 EUR"), "{text}");
    assert!(text.contains("593,75 EUR") && text.contains("218,75 EUR"));
    assert!(text.contains("7.062,50 EUR"), "total 6,250.00 + 812.50");
}

#[test]
fn a_partial_credit_prints_as_its_own_document() {
    use vardesk_core::invoicing::CreditLineForm;
    let (_dir, mut store) = sample_store();
    let id = store.run_billing("2026-12").unwrap().created[0];
    store.issue_invoice(id, today()).unwrap();
    let line = store.invoice(id, today()).unwrap().line_ids[0];
    let chosen = [CreditLineForm {
        line_id: line,
        quantity: "5".into(),
    }];
    let credit = store.credit_invoice(id, Some(&chosen), today()).unwrap();
    let note = tool(
        "pdftotext",
        &["-layout"],
        &vardesk_documents::views::invoice_pdf(&store, credit.id, today()).unwrap(),
    );
    assert!(note.contains("Korrigiert Rechnung"), "{note}");
    assert!(note.contains("Korrigierter Betrag"), "{note}");
    assert!(note.contains(&credit.number.unwrap()));
}

/// Names that look like markup, carry a right-to-left override or emoji are printed as the
/// characters they are: nothing is interpreted, nothing is dropped around them.
#[test]
fn hostile_names_print_as_text() {
    let (_dir, store) = sample_store();
    let hostile = "<script>alert('x')</script> \u{202e}fdp.exe Ltd 🧾";
    store
        .conn()
        .execute(
            "UPDATE customers SET name = ?1 WHERE name = 'Müller & Söhne GmbH'",
            [hostile],
        )
        .unwrap();
    let q = quote_for(&store, hostile);
    let pdf = quote_pdf(&store, &q).unwrap();
    let text = tool("pdftotext", &[], &pdf);
    assert!(text.contains("<script>alert('x')</script>"), "{text}");
    assert!(text.contains("fdp.exe Ltd"), "{text}");
    assert!(
        text.contains(&q.number),
        "the rest of the document is there"
    );
}

/// Issues an invoice of one service line (100.00 at 19 %) to the named sample customer and
/// returns its text as printed.
fn issued_to(store: &mut Store, customer: &str) -> String {
    use vardesk_core::invoicing::{DraftForm, DraftLineForm};
    let id = store
        .list_customers(&Default::default())
        .unwrap()
        .customers
        .iter()
        .find(|c| c.data.name == customer)
        .unwrap()
        .id;
    let draft = store
        .create_draft(&DraftForm {
            customer_id: Some(id),
            notes: String::new(),
            lines: vec![DraftLineForm {
                description: "Managed services".into(),
                quantity: "1".into(),
                unit: "user/month".into(),
                unit_price: "100".into(),
                tax_rate_percent: "19".into(),
                ..DraftLineForm::default()
            }],
        })
        .unwrap();
    store.issue_invoice(draft, today()).unwrap();
    let pdf = vardesk_documents::views::invoice_pdf(store, draft, today()).unwrap();
    // Wrapped lines read as one: compare with line breaks as spaces.
    tool("pdftotext", &[], &pdf)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn each_customer_gets_its_language_and_its_tax_treatment() {
    let (_dir, mut store) = sample_store();
    // A Dutch business: reverse charge in Dutch, both VAT IDs, the country named.
    let dutch = issued_to(&mut store, "Fabrikam Pharma B.V.");
    for expected in [
        "Factuur",
        "BTW verlegd, 0 % over 100,00 EUR",
        "btw te voldoen door de afnemer",
        "Btw-id NL853261747B05",
        "Btw-id DE309481722",
        "Nederland",
        "Te betalen 100,00 EUR",
        "Pagina 1 van 1",
        "gebruiker/maand",
    ] {
        assert!(dutch.contains(expected), "{expected}: {dutch}");
    }
    assert!(
        !dutch.contains("19 %"),
        "no German VAT on a Dutch business: {dutch}"
    );
    // A US company: outside the EU, in English, with the legal basis.
    let us = issued_to(&mut store, "Contoso Dental Group");
    for expected in [
        "Invoice",
        "Not subject to VAT, 0 % on 100.00 USD",
        "place of supply outside the EU (Article 44",
        "United States",
    ] {
        assert!(us.contains(expected), "{expected}: {us}");
    }
    // A German customer at home: German VAT, no country line, the service date.
    let home = issued_to(&mut store, "Nordlicht Steuerberatung");
    for expected in [
        "Rechnung",
        "USt. 19 % auf 100,00 EUR",
        "119,00 EUR",
        "Leistungsdatum",
        "Steuernummer 37/482/51937",
    ] {
        assert!(home.contains(expected), "{expected}: {home}");
    }
    assert!(!home.contains("Deutschland"), "{home}");
    // A French business: autoliquidation, dates and amounts written the French way.
    let french = issued_to(&mut store, "Brasserie Éloïse SARL");
    for expected in [
        "Facture",
        "Autoliquidation, 0 % sur 100,00 EUR",
        "TVA due par le preneur",
        "23/11/2026",
        "N° TVA FR84814739205",
    ] {
        assert!(french.contains(expected), "{expected}: {french}");
    }
}

/// A banking app scans the printed QR code and gets the transfer the invoice asks for.
#[test]
fn the_payment_qr_code_reads_back_as_the_transfer_asked_for() {
    let (_dir, mut store) = sample_store();
    let id = store.run_billing("2026-12").unwrap().created[0];
    let row = store.issue_invoice(id, today()).unwrap();
    let pdf = vardesk_documents::views::invoice_pdf(&store, id, today()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("invoice.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let stem = dir.path().join("page");
    let status = std::process::Command::new("pdftoppm")
        .args(["-png", "-r", "200", "-singlefile"])
        .arg(&path)
        .arg(&stem)
        .status()
        .unwrap();
    assert!(status.success());
    let page = image::open(dir.path().join("page.png")).unwrap().to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(page);
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code on the page");
    let (_, text) = grids[0].decode().unwrap();
    let fields: Vec<&str> = text.split('\n').collect();
    assert_eq!(&fields[..4], ["BCD", "002", "1", "SCT"], "{text}");
    assert_eq!(fields[5], "Northwind Cloud Partners GmbH");
    assert_eq!(fields[6], "DE89370400440532013000", "the company's IBAN");
    assert_eq!(fields[7], format!("EUR{}", row.total.round_dp(2)));
    assert_eq!(fields[10], row.number.unwrap());
}
