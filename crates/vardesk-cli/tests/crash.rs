//! Crashes at any moment lose nothing and break nothing: the CLI is killed with SIGKILL at
//! random points of billing runs, issues, quote accepts, customer imports and restores, at
//! least 200
//! times, and after every kill the database must pass `check` (integrity, gapless unique
//! numbers, every issued document complete and adding up, no subscription period billed
//! twice, open balances right), a billing run, an accept or an import must be all or
//! nothing, and a finished one's rows must all still be there. (SIGKILL: Unix only.)
#![cfg(unix)]

use std::process::{Command, Stdio};
use std::time::Duration;

use vardesk_store::quotes::QuoteQuery;
use vardesk_store::Store;

/// A small deterministic generator (xorshift); the seed is printed so a failure repeats.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

fn vardesk(db: &str, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_vardesk"));
    c.arg("--db")
        .arg(db)
        .args(args)
        .env("VARDESK_DATA_DIR", "/nonexistent-vardesk-test-dir")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    c
}

#[test]
fn kill_9_during_billing_and_issue_leaves_a_consistent_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crash.sqlite3");
    let db = db.to_str().unwrap();
    assert!(vardesk(db, &["init", "--sample-data"])
        .status()
        .unwrap()
        .success());

    // A backup to restore now and then, and the customer count it holds.
    let backup = dir.path().join("start.vardesk");
    assert!(vardesk(db, &["backup", "--out", backup.to_str().unwrap()])
        .status()
        .unwrap()
        .success());
    let customers = |db: &str| -> i64 {
        Store::open(std::path::Path::new(db))
            .unwrap()
            .conn()
            .query_row("SELECT count(*) FROM customers", [], |r| r.get(0))
            .unwrap()
    };
    let subscriptions = |db: &str| -> i64 {
        Store::open(std::path::Path::new(db))
            .unwrap()
            .conn()
            .query_row("SELECT count(*) FROM subscriptions", [], |r| r.get(0))
            .unwrap()
    };
    let backup_customers = customers(db);
    let csv = dir.path().join("import.csv");

    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    eprintln!("seed {seed}");
    let mut rng = Rng(seed);
    let (mut kills, mut finished) = (0, 0);
    let mut killed_in: std::collections::BTreeMap<String, u32> = std::collections::BTreeMap::new();
    let mut month = 0u32;
    for round in 0..1500 {
        if kills >= 200 {
            break;
        }
        let period = format!("{}-{:02}", 2027 + month / 12, month % 12 + 1);
        let (draft, to_bill) = {
            let store = Store::open(std::path::Path::new(db)).unwrap();
            let to_bill = store.preview_billing_run(&period).unwrap().invoices.len();
            let drafts = store
                .list_invoices(Some("draft"), None, "2027-01-01".parse().unwrap())
                .unwrap();
            (drafts.first().map(|d| d.id.to_string()), to_bill)
        };
        // A sent quote to accept (a draft is marked sent here); restores bring them back.
        let quote = if round % 5 == 2 {
            let mut store = Store::open(std::path::Path::new(db)).unwrap();
            let today = chrono::Local::now().date_naive();
            let all = store.list_quotes(&QuoteQuery::default(), today).unwrap();
            let sent = all.iter().find(|q| q.status == "sent").map(|q| q.id);
            let draft = all.iter().find(|q| q.status == "draft").map(|q| q.id);
            sent.or_else(|| draft.map(|id| store.mark_quote_sent(id, today).unwrap().id))
                .or_else(|| Some(new_sent_quote(&mut store, today)))
                .map(|id| id.to_string())
        } else {
            None
        };
        // 300 new customers per import, named by round so every import is new.
        if round % 5 == 3 {
            let mut text = String::from("name;city;country\n");
            for i in 0..300 {
                text.push_str(&format!("Crash Test {round}-{i} GmbH;Köln;DE\n"));
            }
            std::fs::write(&csv, text).unwrap();
        }
        let before = customers(db);
        let subscriptions_before = subscriptions(db);
        let args: Vec<&str> = match (round % 5, draft.as_deref()) {
            (0, Some(id)) => vec!["invoices", "issue", id],
            (2, _) if quote.is_some() => vec!["quotes", "accept", quote.as_deref().unwrap()],
            (3, _) => vec!["customers", "import", csv.to_str().unwrap()],
            (4, _) if round % 10 == 4 => vec!["restore", backup.to_str().unwrap()],
            (1, _) => vec!["billing", "run", &period],
            _ => vec!["billing", "run", &period, "--issue"],
        };
        let mut child = vardesk(db, &args).spawn().unwrap();
        // A run takes about 10 ms here (a restore about 40): kill anywhere from start-up to
        // commit.
        let window = if args[0] == "restore" { 50_000 } else { 12_000 };
        std::thread::sleep(Duration::from_micros(rng.below(window)));
        let killed = child.try_wait().unwrap().is_none();
        if killed {
            child.kill().unwrap(); // SIGKILL
            kills += 1;
            *killed_in.entry(args[0].to_string()).or_insert(0) += 1;
        }
        let status = child.wait().unwrap();
        if !killed {
            assert!(
                status.success(),
                "{args:?} failed without a kill (seed {seed})"
            );
            finished += 1;
            if args[0] == "billing" {
                month += 1; // that month is done: bill the next one
            }
        }

        let store = Store::open(std::path::Path::new(db)).unwrap();
        let report = store.check().unwrap();
        assert!(
            report.ok,
            "after round {round} ({args:?}, seed {seed}): {:?}",
            report.problems
        );
        // A billing run writes all of its drafts or none: the month is either untouched or
        // fully billed.
        let after = customers(db);
        match args[0] {
            "customers" => assert!(
                after == before || after == before + 300,
                "an import left {} of 300 rows (seed {seed})",
                after - before
            ),
            "quotes" => {
                // Accepted with its subscriptions, or still sent without them.
                let accepted = store
                    .list_quotes(&QuoteQuery::default(), chrono::Local::now().date_naive())
                    .unwrap()
                    .into_iter()
                    .any(|q| Some(q.id.to_string()) == quote && q.status == "accepted");
                assert!(accepted || killed, "a finished accept (seed {seed})");
                assert_eq!(
                    subscriptions(db) > subscriptions_before,
                    accepted,
                    "an accept half written (seed {seed})"
                );
            }
            "restore" if !killed => assert_eq!(after, backup_customers, "seed {seed}"),
            "restore" => assert!(after == before || after == backup_customers, "seed {seed}"),
            _ => {}
        }
        if !killed && args[0] == "customers" {
            assert_eq!(
                after,
                before + 300,
                "a finished import is all there (seed {seed})"
            );
        }
        if args[0] == "billing" {
            // All of the month's drafts written, or none of them.
            let left = store.preview_billing_run(&period).unwrap().invoices.len();
            assert!(
                left == 0 || left == to_bill,
                "a half-written run for {period}: {left} of {to_bill} left (seed {seed})"
            );
        }
    }
    eprintln!("{kills} kills ({killed_in:?}), {finished} runs finished");
    for what in ["billing", "invoices", "quotes", "customers", "restore"] {
        assert!(
            killed_in.get(what).copied().unwrap_or(0) >= 3,
            "too few kills during {what}: {killed_in:?} (seed {seed})"
        );
    }
    assert!(kills >= 200, "only {kills} kills landed (seed {seed})");
    let out = vardesk(db, &["check"]).output().unwrap();
    assert!(out.status.success());
}

/// A sent quote with a monthly line (accepting it makes a subscription), so every fifth
/// round has a quote to accept however many were accepted before.
fn new_sent_quote(store: &mut Store, today: chrono::NaiveDate) -> i64 {
    let customer = store
        .list_customers(&vardesk_store::customers::CustomerQuery {
            limit: 1,
            ..Default::default()
        })
        .unwrap()
        .customers[0]
        .id;
    let mut form = store.new_quote_form(customer, today).unwrap();
    form.lines.push(vardesk_core::quote::LineForm {
        kind: "monthly".into(),
        source: "manual".into(),
        description: "Managed backup".into(),
        quantity: "10".into(),
        unit: "user/month".into(),
        unit_price: "3".into(),
        tax_rate_percent: "19".into(),
        ..Default::default()
    });
    let id = store.save_quote(None, &form, today).unwrap().id;
    store.mark_quote_sent(id, today).unwrap().id
}
