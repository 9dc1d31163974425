//! Crashes at any moment lose nothing and break nothing: the CLI is killed with SIGKILL at
//! random points of billing runs and issues, at least 200 times, and after every kill the
//! database must pass `check` (integrity, gapless unique numbers, every issued document
//! complete and adding up, no subscription period billed twice), and a finished run's
//! invoices must all still be there.

use std::process::{Command, Stdio};
use std::time::Duration;

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
#[cfg(unix)]
fn kill_9_during_billing_and_issue_leaves_a_consistent_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crash.sqlite3");
    let db = db.to_str().unwrap();
    assert!(vardesk(db, &["init", "--sample-data"])
        .status()
        .unwrap()
        .success());

    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    eprintln!("seed {seed}");
    let mut rng = Rng(seed);
    let (mut kills, mut finished) = (0, 0);
    let mut month = 0u32;
    for round in 0..1500 {
        if kills >= 200 {
            break;
        }
        let period = format!("{}-{:02}", 2027 + month / 12, month % 12 + 1);
        let draft = {
            let store = Store::open(std::path::Path::new(db)).unwrap();
            let drafts = store
                .list_invoices(Some("draft"), None, "2027-01-01".parse().unwrap())
                .unwrap();
            drafts.first().map(|d| d.id.to_string())
        };
        let args: Vec<&str> = match (round % 3, draft.as_deref()) {
            (0, Some(id)) => vec!["invoices", "issue", id],
            (1, _) => vec!["billing", "run", &period],
            _ => vec!["billing", "run", &period, "--issue"],
        };
        let mut child = vardesk(db, &args).spawn().unwrap();
        // A run takes about 10 ms here: kill anywhere from start-up to commit.
        std::thread::sleep(Duration::from_micros(rng.below(12_000)));
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap(); // SIGKILL
            kills += 1;
        } else {
            finished += 1;
            month += 1; // that month is done: bill the next one
        }
        child.wait().unwrap();

        let store = Store::open(std::path::Path::new(db)).unwrap();
        let report = store.check().unwrap();
        assert!(
            report.ok,
            "after round {round} ({args:?}, seed {seed}): {:?}",
            report.problems
        );
        // A billing run writes all of its drafts or none: the month is either untouched or
        // fully billed.
        if args[0] == "billing" {
            let again = store.preview_billing_run(&period).unwrap();
            assert!(
                again.already_billed == 0 || again.invoices.is_empty(),
                "a half-written run for {period} (seed {seed})"
            );
        }
    }
    eprintln!("{kills} kills, {finished} runs finished");
    assert!(kills >= 200, "only {kills} kills landed (seed {seed})");
    let out = vardesk(db, &["check"]).output().unwrap();
    assert!(out.status.success());
}
