//! Accepting a quote from the command line: all now, a deposit, or one invoice per phase.

mod common;
use common::Books;

#[test]
fn a_sent_quote_is_accepted_with_one_invoice_per_phase() {
    let books = Books::empty();
    books.ok(&["init", "--sample-data"]);
    let quotes = books.json(&["quotes", "list"]);
    let sent = quotes["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["status"] == "sent")
        .expect("the sample's sent quote")["id"]
        .to_string();
    let drafts = |b: &Books| {
        b.json(&["invoices", "list", "--status", "draft"])["invoices"]
            .as_array()
            .unwrap()
            .len()
    };
    let before = drafts(&books);
    // Too few dates: refused, saying how many it needs; nothing accepted.
    let err = books.refused(&["quotes", "accept", &sent, "--phase-dates", "2030-01-01"]);
    let needed: usize = err
        .split("each of the ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{err}"));
    assert!(needed >= 2, "{err}");
    // Two dates in the future, alternating: two scheduled drafts.
    let dates: Vec<&str> = (0..needed)
        .map(|i| {
            if i % 2 == 0 {
                "2030-01-15"
            } else {
                "2030-03-15"
            }
        })
        .collect();
    let out = books.json(&["quotes", "accept", &sent, "--phase-dates", &dates.join(",")]);
    assert!(out["scheduled_invoice_id"].is_number(), "{out}");
    assert_eq!(drafts(&books), before + 2);
    assert!(
        books.run(&["check"]).status.success(),
        "the books check out"
    );
}
