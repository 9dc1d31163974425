//! Payment reminders through `vardesk invoices remind`: who is overdue, a first letter with
//! interest and a fee in the customer's language (read back from the PDF), the next one a
//! level up, and nothing left to remind once paid.

use std::process::Command;

mod common;
use common::Books;

fn pdf_text(path: &std::path::Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout"])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn letters_rise_a_level_and_say_what_is_owed() {
    let books = Books::empty();
    books.ok(&["init", "--sample-data"]);
    let later = "2027-01-20";
    let who = books.json(&["invoices", "remind", "--date", later]);
    let nordlicht = who["remindable"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["customer"] == "Nordlicht Steuerberatung")
        .expect("Nordlicht owes by January")
        .clone();
    assert_eq!(nordlicht["next_level"], 1);
    let customer = nordlicht["customer_id"].to_string();
    let pdf = books.dir.path().join("r1.pdf");
    let first = books.json(&[
        "invoices",
        "remind",
        "--customer",
        &customer,
        "--fee",
        "5",
        "--interest",
        "9.12",
        "--date",
        later,
        "--out",
        pdf.to_str().unwrap(),
    ]);
    assert_eq!(first["level"], 1);
    let open: rust_decimal::Decimal = first["open"].as_str().unwrap().parse().unwrap();
    let interest: rust_decimal::Decimal = first["interest"].as_str().unwrap().parse().unwrap();
    assert_eq!(
        first["total"].as_str().unwrap(),
        (open + interest + rust_decimal::Decimal::from(5)).to_string()
    );
    let text = pdf_text(&pdf);
    assert!(text.contains("Zahlungserinnerung"), "{text}");
    assert!(text.contains("Guten Tag Jonas Becker,"), "{text}");
    assert!(text.contains("Verzugszinsen 9,12 % p. a."), "{text}");
    assert!(text.contains("Mahngebühr"), "{text}");
    assert!(text.contains("27.01.2027"), "pay by, a week on: {text}");
    let number = first["lines"][0]["number"].as_str().unwrap();
    assert!(text.contains(number), "{text}");

    // The next letter goes a level up; the invoice shows both.
    let pdf2 = books.dir.path().join("r2.pdf");
    let second = books.json(&[
        "invoices",
        "remind",
        "--customer",
        &customer,
        "--date",
        later,
        "--out",
        pdf2.to_str().unwrap(),
    ]);
    assert_eq!(second["level"], 2);
    assert!(pdf_text(&pdf2).contains("Zweite Mahnung"));
    let invoice = first["lines"][0]["invoice_id"].to_string();
    let shown = books.json(&["invoices", "show", &invoice]);
    assert_eq!(shown["reminders"].as_array().unwrap().len(), 2, "{shown}");

    // Paid: nothing is left to remind, and the letter is refused in a sentence.
    let balance = shown["balance"].as_str().unwrap().to_string();
    books.json(&["invoices", "pay", &invoice, &balance, "--date", later]);
    let err = books.refused(&[
        "invoices",
        "remind",
        "--customer",
        &customer,
        "--date",
        later,
        "--out",
        books.dir.path().join("r3.pdf").to_str().unwrap(),
    ]);
    assert!(err.contains("Nothing is overdue"), "{err}");
    // A fee out of range is refused too.
    let err = books.refused(&[
        "invoices",
        "remind",
        "--customer",
        "1",
        "--fee=-3",
        "--date",
        later,
        "--out",
        books.dir.path().join("r4.pdf").to_str().unwrap(),
    ]);
    assert!(err.contains("fee"), "{err}");
}
