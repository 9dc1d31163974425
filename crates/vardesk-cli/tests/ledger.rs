//! The ledger from a script (CLI.md, DOMAIN.md §6.1), driven as a partner's script would:
//! an empty file with a company, credits of awkward amounts, paid invoices credited and
//! refunded, reversals, restores between issues.

use std::process::Command;

use serde_json::Value;

mod common;
use common::Books;

/// Books with a German company that has what every invoice must carry (§9).
fn books() -> Books {
    let books = Books::empty();
    books.ok(&["init", "--company", "Acme IT GmbH", "--country", "DE"]);
    books.ok(&["settings", "set", "vat_id", "DE136695976"]);
    books.ok(&["settings", "set", "iban", "DE89 3704 0044 0532 0130 00"]);
    books
}

impl Books {
    fn check_clean(&self) {
        let report = self.json(&["check"]);
        assert_eq!(report["ok"], true, "{report}");
    }

    /// A customer with one monthly subscription, billed and issued for `period`; the invoice id.
    fn issued(&self, quantity: &str, price: &str, tax: &str, period: &str) -> i64 {
        let customer = self.customer(&["--name", &format!("Kunde {period} {price}")]);
        self.subscribe(
            &customer,
            "Seats",
            quantity,
            price,
            tax,
            &format!("{period}-01"),
        );
        self.json(&["billing", "run", period, "--issue"]);
        let list = self.json(&["invoices", "list"]);
        list["invoices"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| {
                i["customer_id"].as_i64().map(|c| c.to_string()) == Some(customer.clone())
                    && i["kind"] == "invoice"
            })
            .map(|i| i["id"].as_i64().unwrap())
            .max()
            .unwrap()
    }
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap()
}

#[test]
fn three_one_seat_credits_add_up_to_the_invoice() {
    let books = books();
    let id = books.issued("3", "20.61", "19", "2026-11").to_string();
    assert_eq!(s(&books.json(&["invoices", "show", &id])["total"]), "73.58");
    let mut totals = Vec::new();
    for _ in 0..3 {
        let out = books.json(&["invoices", "credit", &id, "--line", "1:1"]);
        totals.push(s(&out["credit_note"]["total"]).to_string());
    }
    assert_eq!(totals, ["24.53", "24.52", "24.53"]);
    let shown = books.json(&["invoices", "show", &id]);
    assert_eq!(
        (s(&shown["status"]), s(&shown["balance"])),
        ("void", "0.00")
    );
    assert_eq!(s(&shown["lines"][0]["credited_quantity"]), "3");
    books.refused(&["invoices", "credit", &id, "--all"]);
    books.check_clean();
}

#[test]
fn twenty_sixty_credited_seat_by_seat_voids_without_a_missing_cent() {
    let books = books();
    let id = books.issued("3", "20.60", "19", "2026-11").to_string();
    let total = s(&books.json(&["invoices", "show", &id])["total"]).to_string();
    let mut sum = rust_decimal::Decimal::ZERO;
    for _ in 0..3 {
        let out = books.json(&["invoices", "credit", &id, "--line", "1:1"]);
        sum += s(&out["credit_note"]["total"])
            .parse::<rust_decimal::Decimal>()
            .unwrap();
    }
    assert_eq!(sum.to_string(), total);
    assert_eq!(s(&books.json(&["invoices", "show", &id])["status"]), "void");
    books.check_clean();
}

#[test]
fn a_paid_invoice_is_credited_then_refunded_and_a_wrong_payment_reversed() {
    let books = books();
    let id = books.issued("2", "50", "19", "2026-11").to_string();
    let paid = books.json(&["invoices", "pay", &id, "119.00", "--method", "bank"]);
    assert_eq!(s(&paid["status"]), "paid");
    books.refused(&["invoices", "pay", &id, "-1"]);
    let credit = books.json(&[
        "invoices",
        "credit",
        &id,
        "--amount",
        "S:19:10.00",
        "--reason",
        "Seat cancelled in its window",
    ]);
    assert_eq!(s(&credit["credit_note"]["total"]), "11.90");
    assert_eq!(s(&credit["invoice"]["status"]), "refund_due");
    assert_eq!(s(&credit["invoice"]["balance"]), "-11.90");
    let note = credit["credit_note"]["id"].to_string();
    assert_eq!(
        s(&books.json(&["invoices", "show", &note])["reason"]),
        "Seat cancelled in its window"
    );
    books.refused(&["invoices", "credit", &id, "--amount", "S:7:1.00"]);
    books.refused(&["invoices", "credit", &id, "--amount", "S:19:200.00"]);
    books.refused(&["invoices", "pay", &id, "-11.91"]);
    let refunded = books.json(&["invoices", "pay", &id, "-11.90", "--reference", "R-1"]);
    assert_eq!(
        (s(&refunded["status"]), s(&refunded["balance"])),
        ("paid", "0.00")
    );
    // The first payment was wrong: a reversal entry, never an edit.
    let first = refunded["payments"][0]["id"].to_string();
    let reversed = books.json(&["invoices", "reverse-payment", &id, &first]);
    assert_eq!(s(&reversed["balance"]), "119.00");
    assert_eq!(reversed["payments"][2]["reverses"].to_string(), first);
    books.refused(&["invoices", "reverse-payment", &id, &first]);
    books.check_clean();
}

#[test]
fn restoring_between_issues_never_issues_a_number_twice() {
    let books = books();
    let first = books.issued("1", "10", "19", "2026-11");
    let snap = format!("{}.snap", books.db);
    books.ok(&["backup", "--out", &snap]);
    let lost = books.issued("1", "12", "19", "2026-11");
    let lost_number = books.json(&["invoices", "show", &lost.to_string()])["number"].clone();
    let printed = books.ok(&["restore", &snap]);
    assert!(printed.contains(s(&lost_number)), "{printed}");
    let again = books.issued("1", "14", "19", "2026-11");
    let number = books.json(&["invoices", "show", &again.to_string()])["number"].clone();
    assert_ne!(number, lost_number);
    assert_ne!(again, first);
    let report = books.json(&["check"]);
    assert_eq!(report["ok"], true, "{report}");
    assert!(report["explained"][0]
        .as_str()
        .unwrap()
        .contains(s(&lost_number)));
}

#[test]
fn absurd_and_malformed_ledger_input_is_refused_with_a_sentence() {
    let books = books();
    let id = books.issued("1", "10", "19", "2026-11").to_string();
    for args in [
        vec!["invoices", "pay", &id, "0"],
        vec!["invoices", "pay", &id, "1.001"],
        vec!["invoices", "pay", &id, "99999999999999999999999999"],
        vec!["invoices", "pay", &id, "abc"],
        vec!["invoices", "pay", "999", "1"],
        vec!["invoices", "credit", &id],
        vec!["invoices", "credit", &id, "--line", "2:1"],
        vec!["invoices", "credit", &id, "--line", "1:2"],
        vec!["invoices", "credit", &id, "--line", "1:-1"],
        vec!["invoices", "credit", &id, "--amount", "19:10"],
        vec!["invoices", "credit", &id, "--amount", "S:19:-5"],
        vec!["settings", "set", "no_such_key", "x"],
        vec![
            "subscriptions",
            "add",
            "--customer",
            "1",
            "--description",
            "x",
            "--quantity",
            "4294967296",
            "--price",
            "1",
            "--tax",
            "19",
            "--interval",
            "monthly",
            "--start",
            "2026-11-01",
        ],
    ] {
        books.refused(&args);
    }
    books.check_clean();
}

#[test]
fn subscription_edits_across_billed_periods_never_bill_twice() {
    let books = books();
    let customer = books.json(&["customers", "add", "--name", "Annual GmbH"])["id"].to_string();
    let sub = books.json(&[
        "subscriptions",
        "add",
        "--customer",
        &customer,
        "--description",
        "Backup",
        "--quantity",
        "10",
        "--price",
        "120",
        "--tax",
        "19",
        "--interval",
        "annual",
        "--start",
        "2026-12-01",
    ])["id"]
        .to_string();
    books.json(&["billing", "run", "2026-12"]);
    // Moving the start before the billed year is refused, naming it.
    let err = books.refused(&["subscriptions", "edit", &sub, "--start", "2026-10-01"]);
    assert!(err.contains("Dec 2026 – Nov 2027"), "{err}");
    let edited = books.json(&[
        "subscriptions",
        "edit",
        &sub,
        "--interval",
        "monthly",
        "--price",
        "10",
    ]);
    assert_eq!(s(&edited["interval"]), "monthly");
    for month in ["2027-01", "2027-06", "2027-11"] {
        let run = books.json(&["billing", "run", month]);
        assert_eq!(
            run["invoices_created"], 0,
            "{month} is inside the billed year"
        );
    }
    let december = books.json(&["billing", "run", "2027-12"]);
    assert_eq!(december["invoices_created"], 1);
    assert_eq!(s(&december["total"]), "100.00");
    books.check_clean();
}

#[test]
fn the_company_legal_details_are_set_from_a_script_and_printed() {
    let books = books();
    books.ok(&[
        "settings",
        "set",
        "legal_registration",
        "HRB 12345, Amtsgericht Köln",
    ]);
    books.ok(&[
        "settings",
        "set",
        "managing_directors",
        "Anna Beispiel, Jörg Muster",
    ]);
    books.ok(&["settings", "set", "tax_number", "214/5678/0123"]);
    books.ok(&["settings", "set", "electronic_address", "9930:DE123456788"]);
    let err = books.refused(&["settings", "set", "electronic_address", "not an address"]);
    assert!(err.contains("Peppol id"), "{err}");
    books.refused(&["settings", "set", "contact_name", "two\nlines"]);
    let id = books.issued("1", "10", "19", "2026-11").to_string();
    let pdf = format!("{}.pdf", books.db);
    books.ok(&["invoices", "pdf", &id, "--out", &pdf]);
    let text = Command::new("pdftotext")
        .args([&pdf, "-"])
        .output()
        .unwrap();
    // The footer may wrap: compare with the line breaks as spaces.
    let text = String::from_utf8_lossy(&text.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for expected in [
        "HRB 12345, Amtsgericht Köln",
        "Geschäftsführer: Anna Beispiel",
        "Steuernummer 214/5678/0123",
    ] {
        assert!(text.contains(expected), "{expected} is printed: {text}");
    }
}

/// A customer with one monthly line of 100.00 at 19 %, billed and issued for 2026-11.
fn billed_customer(books: &Books, extra: &[&str]) -> (String, Value) {
    let customer = books.customer(extra);
    books.subscribe(
        &customer,
        "Managed services",
        "1",
        "100",
        "19",
        "2026-11-01",
    );
    books.json(&["billing", "run", "2026-11", "--issue"]);
    let id = books.json(&["invoices", "list"])["invoices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["customer_id"].as_i64().map(|c| c.to_string()) == Some(customer.clone()))
        .map(|i| i["id"].as_i64().unwrap())
        .unwrap();
    let shown = books.json(&["invoices", "show", &id.to_string()]);
    (customer, shown)
}

#[test]
fn a_german_company_taxes_each_customer_by_country_and_vat_id() {
    let books = books();
    books.ok(&[
        "settings",
        "set",
        "legal_registration",
        "HRB 12345, Amtsgericht Köln",
    ]);
    let (_, home) = billed_customer(&books, &["--name", "Kunde GmbH", "--country", "DE"]);
    assert_eq!(home["tax"][0]["category"], "S");
    assert_eq!(s(&home["total"]), "119.00");
    let (_, dutch) = billed_customer(
        &books,
        &[
            "--name",
            "Fabrikam B.V.",
            "--country",
            "NL",
            "--vat-id",
            "NL 004495445 B01",
        ],
    );
    assert_eq!(dutch["tax"][0]["category"], "AE");
    assert_eq!(s(&dutch["tax"][0]["rate"]), "0");
    assert_eq!(s(&dutch["total"]), "100.00");
    assert_eq!(dutch["lines"][0]["tax_category"], "AE");
    // A Dutch consumer (no VAT ID) pays German VAT; a US company is outside the EU.
    let (_, consumer) = billed_customer(&books, &["--name", "Jan Jansen", "--country", "NL"]);
    assert_eq!(consumer["tax"][0]["category"], "S");
    // With the One-Stop-Shop on, a Dutch consumer pays Dutch VAT (21 %); businesses do not.
    books.ok(&["settings", "set", "oss", "true"]);
    let (_, oss) = billed_customer(&books, &["--name", "Piet Pieters", "--country", "NL"]);
    assert_eq!(oss["tax"][0]["category"], "S");
    assert_eq!(s(&oss["tax"][0]["rate"]), "21");
    assert_eq!(s(&oss["total"]), "121.00");
    books.ok(&["settings", "set", "oss", "false"]);
    let (_, us) = billed_customer(&books, &["--name", "Contoso Inc.", "--country", "US"]);
    assert_eq!(us["tax"][0]["category"], "O");
    assert_eq!(s(&us["total"]), "100.00");
    // An exempt customer needs its reason; its invoices are category E.
    let err = books.refused(&[
        "customers",
        "add",
        "--name",
        "Museum",
        "--country",
        "DE",
        "--tax-treatment",
        "exempt",
    ]);
    assert!(err.contains("reason"), "{err}");
    let (_, museum) = billed_customer(
        &books,
        &[
            "--name",
            "Museum",
            "--country",
            "DE",
            "--tax-treatment",
            "exempt",
            "--exemption-reason",
            "§ 4 Nr. 20 UStG",
        ],
    );
    assert_eq!(museum["tax"][0]["category"], "E");
    books.check_clean();
}

#[test]
fn vat_ids_and_missing_company_details_are_refused_saying_what_to_fill_in() {
    let books = Books::empty();
    books.ok(&["init", "--company", "Acme IT GmbH", "--country", "DE"]);
    for (country, vat_id, says) in [
        ("DE", "DE123456789", "check digit"),
        ("AT", "AT12345678", "U followed by 8 digits"),
        ("FR", "DE136695976", "country"),
    ] {
        let err = books.refused(&[
            "customers",
            "add",
            "--name",
            "X",
            "--country",
            country,
            "--vat-id",
            vat_id,
        ]);
        assert!(err.contains(says), "{vat_id}: {err}");
    }
    let err = books.refused(&["settings", "set", "iban", "DE89 3704 0044 0532 0130 01"]);
    assert!(err.contains("not an IBAN"), "{err}");
    // Nothing is issued without the IBAN, then without a VAT ID or tax number.
    let customer = books.customer(&["--name", "Kunde", "--country", "DE"]);
    books.subscribe(&customer, "Seats", "1", "10", "19", "2026-11-01");
    books.json(&["billing", "run", "2026-11"]);
    let draft = books.json(&["invoices", "list"])["invoices"][0]["id"]
        .as_i64()
        .unwrap()
        .to_string();
    let err = books.refused(&["invoices", "issue", &draft]);
    assert!(err.contains("IBAN"), "{err}");
    books.ok(&["settings", "set", "iban", "DE89 3704 0044 0532 0130 00"]);
    let err = books.refused(&["invoices", "issue", &draft]);
    assert!(err.contains("VAT ID or tax number"), "{err}");
    books.ok(&["settings", "set", "tax_number", "214/5678/0123"]);
    books.ok(&["invoices", "issue", &draft]);
}
