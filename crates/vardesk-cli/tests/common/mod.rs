//! A data file in a temporary folder, driven through the `vardesk` process as a partner's
//! script would drive it.
#![allow(dead_code)] // each test file uses its own part

use std::process::{Command, Output};

use serde_json::Value;

pub struct Books {
    pub dir: tempfile::TempDir,
    pub db: String,
}

impl Books {
    /// A path for a data file that does not exist yet.
    pub fn empty() -> Books {
        let dir = tempfile::tempdir().unwrap();
        let db = dir
            .path()
            .join("books.vardesk")
            .to_str()
            .unwrap()
            .to_string();
        Books { dir, db }
    }

    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_vardesk"))
            .arg("--db")
            .arg(&self.db)
            .args(args)
            .env("VARDESK_DATA_DIR", "/nonexistent-vardesk-test-dir")
            .output()
            .unwrap()
    }

    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    pub fn json(&self, args: &[&str]) -> Value {
        let mut all = args.to_vec();
        all.push("--json");
        serde_json::from_str(&self.ok(&all)).unwrap()
    }

    /// Refused: exit 1 and one sentence on stderr (no panic, no internal error).
    pub fn refused(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert_eq!(out.status.code(), Some(1), "{args:?} was not refused");
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(
            !err.contains("panicked") && !err.contains("Internal error"),
            "{err}"
        );
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        err
    }

    /// Adds a customer (`customers add` with `args`); its id.
    pub fn customer(&self, args: &[&str]) -> String {
        let mut all = vec!["customers", "add"];
        all.extend_from_slice(args);
        self.json(&all)["id"].as_i64().unwrap().to_string()
    }

    /// A monthly subscription of `quantity` × `price` at `tax` % from `start` (per seat and
    /// month).
    pub fn subscribe(
        &self,
        customer: &str,
        description: &str,
        quantity: &str,
        price: &str,
        tax: &str,
        start: &str,
    ) {
        self.json(&[
            "subscriptions",
            "add",
            "--customer",
            customer,
            "--description",
            description,
            "--quantity",
            quantity,
            "--price",
            price,
            "--tax",
            tax,
            "--interval",
            "monthly",
            "--start",
            start,
            "--unit",
            "seat/month",
        ]);
    }
}
