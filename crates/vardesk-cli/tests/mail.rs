//! Sending: `invoices send` and `quotes send` write an e-mail draft that mail apps open as a
//! new message. Each draft is read back by Python's `email` package (a full MIME parser, not
//! ours): headers, the body in the customer's language, the attachments byte for byte.

use std::process::Command;

use serde_json::Value;

mod common;
use common::Books;

/// The message as Python's `email` parser reads it.
fn parse(path: &std::path::Path) -> Value {
    let script = r#"
import email, email.policy, json, sys, hashlib
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
body = m.get_body(preferencelist=("plain",))
print(json.dumps({
  "to": str(m["To"]), "from": str(m["From"]), "subject": str(m["Subject"]),
  "unsent": m["X-Unsent"], "date": str(m["Date"]), "message_id": m["Message-ID"],
  "defects": [str(d) for d in m.defects] + [str(d) for p in m.walk() for d in p.defects],
  "body": body.get_content(),
  "attachments": [{"name": a.get_filename(), "type": a.get_content_type(),
                   "sha256": hashlib.sha256(a.get_payload(decode=True)).hexdigest(),
                   "head": a.get_payload(decode=True)[:8].decode("latin-1")}
                  for a in m.iter_attachments()],
}))
"#;
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(path)
        .output()
        .expect("python3 reads the message");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn sha256(path: &std::path::Path) -> String {
    let out = Command::new("sha256sum").arg(path).output().unwrap();
    String::from_utf8(out.stdout).unwrap()[..64].to_string()
}

#[test]
fn an_invoice_goes_as_a_draft_in_the_customers_language_with_its_files() {
    let books = Books::empty();
    books.ok(&["init", "--sample-data"]);
    let invoices = books.json(&["invoices", "list"]);
    let issued = |customer: &str| {
        invoices["invoices"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| {
                i["customer"].as_str().unwrap().starts_with(customer)
                    && i["number"].is_string()
                    && i["kind"] == "invoice"
            })
            .unwrap_or_else(|| panic!("an issued invoice for {customer}"))
            .clone()
    };

    // A German customer: German text, the Factur-X PDF and the XRechnung XML.
    let nordlicht = issued("Nordlicht");
    let number = nordlicht["number"].as_str().unwrap();
    let eml = books.dir.path().join("nordlicht.eml");
    let id = nordlicht["id"].to_string();
    books.ok(&["invoices", "send", &id, "--out", eml.to_str().unwrap()]);
    let m = parse(&eml);
    assert_eq!(m["defects"], serde_json::json!([]), "{m}");
    assert_eq!(m["unsent"], "1");
    assert!(
        m["to"]
            .as_str()
            .unwrap()
            .ends_with("<j.becker@nordlicht-stb.de>"),
        "{m}"
    );
    assert!(
        m["from"]
            .as_str()
            .unwrap()
            .starts_with("Northwind Cloud Partners GmbH <"),
        "{m}"
    );
    assert_eq!(
        m["subject"],
        format!("Rechnung {number} von Northwind Cloud Partners GmbH")
    );
    // CRLF on the wire, as RFC 5322 asks.
    let body = &m["body"].as_str().unwrap().replace("\r\n", "\n");
    assert!(body.starts_with("Guten Tag Jonas Becker,\n"), "{body}");
    assert!(
        body.contains(&format!("anbei erhalten Sie unsere Rechnung {number} vom ")),
        "{body}"
    );
    assert!(
        body.contains("Die E-Rechnung (XRechnung (CII)) liegt ebenfalls bei."),
        "{body}"
    );
    assert!(
        body.ends_with("Mit freundlichen Grüßen\nNorthwind Cloud Partners GmbH\n")
            || body.ends_with("Mit freundlichen Grüßen\nNorthwind Cloud Partners GmbH"),
        "{body}"
    );
    let files = m["attachments"].as_array().unwrap();
    assert_eq!(files.len(), 2, "{m}");
    assert_eq!(files[0]["name"], format!("{number}.pdf"));
    assert_eq!(files[0]["type"], "application/pdf");
    assert_eq!(files[1]["name"], format!("{number}.xml"));
    assert_eq!(files[1]["head"], "<?xml ve");
    // Byte for byte the Factur-X PDF and the XRechnung the CLI writes on their own.
    let pdf = books.dir.path().join("fx.pdf");
    books.ok(&[
        "invoices",
        "einvoice",
        &id,
        "--format",
        "facturx",
        "--out",
        pdf.to_str().unwrap(),
    ]);
    assert_eq!(files[0]["sha256"], sha256(&pdf));
    let xml = books.dir.path().join("x.xml");
    books.ok(&[
        "invoices",
        "einvoice",
        &id,
        "--format",
        "xrechnung-cii",
        "--out",
        xml.to_str().unwrap(),
    ]);
    assert_eq!(files[1]["sha256"], sha256(&xml));
    // Recorded on the invoice.
    let shown = books.json(&["invoices", "show", &id]);
    assert_eq!(
        shown["sent"][0]["to_address"], "j.becker@nordlicht-stb.de",
        "{shown}"
    );
}

/// A quote to a Dutch customer: Dutch text, the quote's PDF; a draft quote becomes sent.
#[test]
fn a_quote_goes_in_dutch_with_its_pdf() {
    let books = Books::empty();
    books.ok(&["init", "--sample-data"]);
    let quotes = books.json(&["quotes", "list"]);
    let quote = quotes["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["customer"].as_str().unwrap().starts_with("Fabrikam"))
        .expect("the sample's Fabrikam quote")
        .clone();
    let eml = books.dir.path().join("q.eml");
    books.ok(&[
        "quotes",
        "send",
        &quote["id"].to_string(),
        "--out",
        eml.to_str().unwrap(),
    ]);
    let m = parse(&eml);
    assert_eq!(m["defects"], serde_json::json!([]), "{m}");
    let number = quote["number"].as_str().unwrap();
    assert!(
        m["subject"]
            .as_str()
            .unwrap()
            .starts_with(&format!("Offerte {number}")),
        "{m}"
    );
    assert!(
        m["body"]
            .as_str()
            .unwrap()
            .contains("In de bijlage vindt u onze offerte"),
        "{m}"
    );
    let files = m["attachments"].as_array().unwrap();
    assert_eq!(files.len(), 1);
    assert!(
        files[0]["head"].as_str().unwrap().starts_with("%PDF-"),
        "{m}"
    );
}

#[test]
fn drafts_and_customers_without_an_address_are_refused_in_a_sentence() {
    let books = Books::empty();
    books.ok(&["init", "--sample-data"]);
    let invoices = books.json(&["invoices", "list", "--status", "draft"]);
    let draft = invoices["invoices"][0]["id"].to_string();
    let out = books.dir.path().join("d.eml");
    let err = books.refused(&["invoices", "send", &draft, "--out", out.to_str().unwrap()]);
    assert!(err.contains("Issue the invoice before sending it"), "{err}");
    assert!(!out.exists());

    // An issued invoice of a customer with no e-mail address: refused, nothing written.
    let customer = books.customer(&["--name", "Kein Mail GmbH", "--country", "DE"]);
    books.subscribe(&customer, "Managed backup", "3", "2.95", "19", "2026-01-01");
    books.json(&["billing", "run", "2026-03", "--issue"]);
    let id = books.json(&["invoices", "list"])["invoices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["customer"] == "Kein Mail GmbH")
        .expect("its invoice")["id"]
        .to_string();
    let err = books.refused(&["invoices", "send", &id, "--out", out.to_str().unwrap()]);
    assert!(
        err.contains("Kein Mail GmbH has no e-mail address"),
        "{err}"
    );
    assert!(!out.exists());
    assert_eq!(
        books.json(&["invoices", "show", &id])["sent"],
        serde_json::json!([])
    );
}
