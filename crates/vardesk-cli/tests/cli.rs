//! The `vardesk` binary as a process: the calc contract over every fixture, exit codes,
//! and the customer commands on a temporary database.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn vardesk(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_vardesk"))
        .args(args)
        .env("VARDESK_DATA_DIR", "/nonexistent-vardesk-test-dir")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A usage error exits before reading stdin: a broken pipe here is expected then.
    let _ = child.stdin.take().unwrap().write_all(stdin);
    child.wait_with_output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

fn fixture_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            fixture_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

/// `vardesk <what> pdf ID --out FILE` succeeds and writes a PDF.
fn assert_writes_pdf(db: &str, what: &str, id: &str, out: &Path) {
    let result = vardesk(
        &["--db", db, what, "pdf", id, "--out", out.to_str().unwrap()],
        b"",
    );
    assert!(result.status.success(), "{}", stderr(&result));
    assert!(std::fs::read(out).unwrap().starts_with(b"%PDF"));
}

/// A temporary database made by `vardesk init --sample-data`.
fn sample_db() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.sqlite3").to_str().unwrap().to_string();
    assert!(vardesk(&["--db", &db, "init", "--sample-data"], b"")
        .status
        .success());
    (dir, db)
}

#[test]
fn calc_prints_what_the_engine_computes_for_every_fixture() {
    let dir = std::env::var_os("VARDESK_FIXTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures"));
    let mut files = Vec::new();
    fixture_files(&dir, &mut files);
    assert!(files.len() >= 60, "fixtures missing at {}", dir.display());
    for file in files {
        let case: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
        let op = case["op"].as_str().unwrap();
        let mut input = case["input"].clone();
        if op == "inventory" {
            let rel = input["path"].as_str().unwrap().to_string();
            input["path"] = Value::String(file.parent().unwrap().join(rel).display().to_string());
        }
        let out = vardesk(&["calc", op], input.to_string().as_bytes());
        assert!(out.status.success(), "{}: {}", file.display(), stderr(&out));
        let printed: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(
            printed,
            vardesk_core::calc::run(op, &input, &|path| {
                std::fs::read(path).map_err(|e| e.to_string())
            })
            .unwrap(),
            "{}",
            file.display()
        );
    }
}

#[test]
fn bad_input_is_a_sentence_and_exit_1_never_a_panic() {
    for input in [
        "not json",
        r#"{"currency":"EUR","lines":[{"quantity":"1e5","unit_price":"1"}]}"#,
        r#"{"currency":"EUR","lines":[{"quantity":"NaN","unit_price":"1"}]}"#,
        r#"{"currency":"EUR","lines":[{"quantity":"-1","unit_price":"1"}]}"#,
        r#"{"currency":"XXX","lines":[]}"#,
        r#"{"currency":"EUR","lines":[{"quantity":1.5,"unit_price":"1"}]}"#,
    ] {
        let out = vardesk(&["calc", "doc_totals"], input.as_bytes());
        assert_eq!(out.status.code(), Some(1), "{input}");
        let err = stderr(&out);
        assert!(
            err.starts_with("vardesk: ") && err.trim_end().ends_with('.'),
            "{err}"
        );
        assert!(
            !err.contains("panicked") && !err.contains("Internal error"),
            "{err}"
        );
    }
}

/// §6.1 bounds: absurd numbers through every `calc` op are refused with a sentence (or, where
/// they are within bounds, computed) — never a panic or a wrapped number.
#[test]
fn absurd_numbers_in_every_calc_op_are_a_sentence_not_a_panic() {
    let huge = "79228162514264337593543950335";
    let twelve = "999999999999";
    let estimate = |inputs: &str, coefficients: &str| {
        format!(
            r#"{{"currency":"EUR","inputs":{{"source":"exchange_cutover",{inputs},"archive_gb":"0","public_folder_gb":"0","file_gb":"0","pcs":0,"phones":0,"sites":1,"users_to_train":0,"complexity":"high"}},"coefficients":{{{coefficients}}}}}"#
        )
    };
    let cases: Vec<(&str, String)> = vec![
        ("doc_totals", format!(r#"{{"currency":"EUR","lines":[{{"quantity":"{huge}","unit_price":"{huge}"}}]}}"#)),
        ("quote_totals", format!(r#"{{"currency":"EUR","lines":[{{"quantity":"{huge}","unit_price":"1","kind":"monthly"}}]}}"#)),
        ("estimate", estimate(r#""mailboxes":4294967295,"shared_mailboxes":4294967295,"mailbox_gb":"1""#, "")),
        ("estimate", estimate(r#""mailboxes":1000000,"shared_mailboxes":0,"mailbox_gb":"999999999999""#,
            &format!(r#""hourly_rate":"{twelve}","hypercare_percent":"{twelve}","pm_percent":"{twelve}","throughput_gb_per_hour":"0.0000000001""#))),
        ("estimate", estimate(r#""mailboxes":1,"shared_mailboxes":0,"mailbox_gb":"1""#, &format!(r#""hourly_rate":"{huge}""#))),
        ("bill_line", format!(r#"{{"currency":"EUR","period":"2026-11","subscription":{{"quantity":"{huge}","unit_price":"{huge}","interval":"monthly","start_date":"2026-11-05"}}}}"#)),
        ("bill_line", r#"{"currency":"EUR","period":"2026-11","subscription":{"quantity":"1","unit_price":"1","discount_percent":"-500","interval":"monthly","start_date":"2026-11-05"}}"#.to_string()),
        ("projection", format!(r#"{{"months":120,"churn_percent":"0","expansion_percent":"{huge}","uplift_percent":"0","projects_per_month":"0","seats_per_project":"0","price_per_seat":"0","cost_per_seat":"0","fee_per_project":"0","currency":"EUR","starts_mrr":["{huge}"],"starts_cost":[],"starts_one_time":[]}}"#)),
        ("numbering", r#"{"template":"INV-{SEQ:4}","issue_date":"2026-01-01","seq":-1}"#.to_string()),
    ];
    for (op, input) in cases {
        let out = vardesk(&["calc", op], input.as_bytes());
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{op} {input}: {err}");
        assert!(
            err.starts_with("vardesk: ") && err.trim_end().ends_with('.'),
            "{err}"
        );
        assert!(
            !err.contains("panicked") && !err.contains("Internal error"),
            "{op}: {err}"
        );
    }
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(
        vardesk(&["calc", "no_such_op"], b"{}").status.code(),
        Some(2)
    );
    assert_eq!(vardesk(&["frobnicate"], b"").status.code(), Some(2));
}

#[test]
fn customers_import_list_export_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.sqlite3");
    let db = db.to_str().unwrap();
    let missing = vardesk(&["--db", db, "customers", "list"], b"");
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        stderr(&missing).contains("vardesk init"),
        "{}",
        stderr(&missing)
    );

    assert!(vardesk(&["--db", db, "init", "--sample-data"], b"")
        .status
        .success());
    let again = vardesk(&["--db", db, "init"], b"");
    assert_eq!(again.status.code(), Some(1));

    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "name;email;colour\nGood;g@x.de;red\n;x@y.de;blue\n").unwrap();
    let out = vardesk(
        &[
            "--db",
            db,
            "customers",
            "import",
            bad.to_str().unwrap(),
            "--json",
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["imported"], 0);
    assert_eq!(report["errors"][0]["line"], 3);
    assert_eq!(report["ignored_columns"][0], "colour");

    let good = dir.path().join("good.csv");
    std::fs::write(&good, "name,city\n\"Zoë Ångström-Łukasiewicz AB\",Malmö\n").unwrap();
    let dry = vardesk(
        &[
            "--db",
            db,
            "customers",
            "import",
            good.to_str().unwrap(),
            "--dry-run",
            "--json",
        ],
        b"",
    );
    let dry: Value = serde_json::from_slice(&dry.stdout).unwrap();
    assert_eq!(
        (dry["rows"].as_u64(), dry["valid"].as_u64()),
        (Some(1), Some(1))
    );
    assert!(dry.get("imported").is_none());
    let out = vardesk(
        &[
            "--db",
            db,
            "customers",
            "import",
            good.to_str().unwrap(),
            "--json",
        ],
        b"",
    );
    assert!(out.status.success(), "{}", stderr(&out));

    let list = vardesk(
        &[
            "--db",
            db,
            "customers",
            "list",
            "--search",
            "ångström",
            "--json",
        ],
        b"",
    );
    let list: Value = serde_json::from_slice(&list.stdout).unwrap();
    let rows = list["customers"].as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["name"], "Zoë Ångström-Łukasiewicz AB");
    assert!(
        rows[0]["id"].is_i64() && rows[0]["status"] == "active" && rows[0]["currency"] == "EUR"
    );

    let export = dir.path().join("export.csv");
    assert!(vardesk(
        &["--db", db, "customers", "export", export.to_str().unwrap()],
        b""
    )
    .status
    .success());
    let bytes = std::fs::read(&export).unwrap();
    assert!(bytes.starts_with("\u{feff}name,".as_bytes()));
    assert!(vardesk(&["--db", db, "check"], b"").status.success());
}

#[test]
fn quotes_list_pdf_and_accept() {
    let (dir, db) = sample_db();
    let db = db.as_str();
    let out = vardesk(&["--db", db, "quotes", "list", "--json"], b"");
    let list: Value = serde_json::from_slice(&out.stdout).unwrap();
    let quotes = list["quotes"].as_array().unwrap();
    assert_eq!(quotes.len(), 5);
    for key in [
        "id", "number", "version", "customer", "status", "currency", "one_time", "monthly",
        "annual",
    ] {
        assert!(quotes[0].get(key).is_some(), "{key} missing");
    }
    assert!(quotes[0]["one_time"].is_string());
    let sent = quotes.iter().find(|q| q["status"] == "sent").unwrap();
    let id = sent["id"].to_string();

    assert_writes_pdf(db, "quotes", &id, &dir.path().join("q.pdf"));

    let out = vardesk(&["--db", db, "quotes", "accept", &id, "--json"], b"");
    assert!(out.status.success(), "{}", stderr(&out));
    let accepted: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(accepted["subscriptions"].as_array().unwrap().len(), 3);
    let again = vardesk(&["--db", db, "quotes", "accept", &id], b"");
    assert_eq!(again.status.code(), Some(1));
    assert!(
        stderr(&again).contains("already accepted"),
        "{}",
        stderr(&again)
    );
    assert!(vardesk(&["--db", db, "check"], b"").status.success());
}

#[test]
fn billing_run_is_idempotent_and_issues_once() {
    let (dir, db) = sample_db();
    let db = db.as_str();
    // The accepted sample quote starts next month.
    let next = (chrono::Local::now().date_naive() + chrono::Months::new(1))
        .format("%Y-%m")
        .to_string();
    let out = vardesk(&["--db", db, "billing", "run", &next, "--json"], b"");
    assert!(out.status.success(), "{}", stderr(&out));
    let run: Value = serde_json::from_slice(&out.stdout).unwrap();
    // The sample's subscriptions bill every month; the accepted quote adds its three lines.
    let (created, lines) = (
        run["invoices_created"].as_u64().unwrap(),
        run["lines"].as_u64().unwrap(),
    );
    assert!(created > 5 && lines >= created + 3, "{run}");
    // Several currencies: one total per currency, never one sum across them.
    let totals = run["totals"].as_object().unwrap();
    assert!(
        totals.len() > 1 && totals.values().all(Value::is_string),
        "{run}"
    );
    assert!(run.get("total").is_none());
    let again: Value = serde_json::from_slice(
        &vardesk(&["--db", db, "billing", "run", &next, "--json"], b"").stdout,
    )
    .unwrap();
    assert_eq!(
        (
            again["invoices_created"].as_u64(),
            again["already_billed"].as_u64()
        ),
        (Some(0), Some(lines))
    );

    let list: Value = serde_json::from_slice(
        &vardesk(
            &[
                "--db", db, "invoices", "list", "--status", "draft", "--json",
            ],
            b"",
        )
        .stdout,
    )
    .unwrap();
    let drafts = list["invoices"].as_array().unwrap();
    assert_eq!(
        drafts.len() as u64,
        created + 1,
        "and the accepted quote's one-time part"
    );
    assert!(drafts
        .iter()
        .all(|i| i["number"].is_null() && i["status"] == "draft" && i["kind"] == "invoice"));
    let id = drafts[0]["id"].to_string();
    let issued: Value = serde_json::from_slice(
        &vardesk(&["--db", db, "invoices", "issue", &id, "--json"], b"").stdout,
    )
    .unwrap();
    let twice: Value = serde_json::from_slice(
        &vardesk(&["--db", db, "invoices", "issue", &id, "--json"], b"").stdout,
    )
    .unwrap();
    assert!(issued["number"].as_str().unwrap().starts_with("INV-"));
    assert_eq!(issued["number"], twice["number"]);
    assert_writes_pdf(db, "invoices", &id, &dir.path().join("i.pdf"));
    assert!(vardesk(&["--db", db, "check"], b"").status.success());
}

#[test]
fn export_pdfs_writes_every_issued_document_of_the_year() {
    let (dir, db) = sample_db();
    let out = dir.path().join("pdfs");
    let year = chrono::Local::now().date_naive().format("%Y").to_string();
    let run = vardesk(
        &[
            "--db",
            &db,
            "invoices",
            "export-pdfs",
            out.to_str().unwrap(),
            "--year",
            &year,
            "--json",
        ],
        b"",
    );
    assert!(run.status.success(), "{}", stderr(&run));
    let report: Value = serde_json::from_slice(&run.stdout).unwrap();
    let files: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(report["written"].as_u64().unwrap() as usize, files.len());
    assert!(files.len() > 20, "{files:?}");
    assert!(files
        .iter()
        .all(|f| (f.ends_with(".pdf") || f.ends_with(".xml")) && f.contains(&year)));
    // Every PDF has its e-invoice beside it.
    for pdf in files.iter().filter(|f| f.ends_with(".pdf")) {
        let xml = pdf.replace(".pdf", ".xml");
        assert!(files.contains(&xml), "{xml} beside {pdf}");
    }
    let xml = std::fs::read_to_string(out.join(format!("INV-{year}-0001.xml"))).unwrap();
    assert!(xml.contains("CrossIndustryInvoice") && xml.contains(&format!("INV-{year}-0001")));
    assert!(files.contains(&format!("INV-{year}-0001.pdf")), "{files:?}");
    let first = std::fs::read(out.join(format!("INV-{year}-0001.pdf"))).unwrap();
    assert!(first.starts_with(b"%PDF"));
    // Drafts have no number and are not exported; a year with nothing writes nothing.
    let none = vardesk(
        &[
            "--db",
            &db,
            "invoices",
            "export-pdfs",
            out.join("empty").to_str().unwrap(),
            "--year",
            "1999",
        ],
        b"",
    );
    assert!(none.status.success());
    assert!(String::from_utf8_lossy(&none.stdout).contains("Wrote 0 document(s)"));
}

/// `projection` from the database: the calc op's row shape plus calendar months, the same
/// figures in the CSV (with BOM), and a horizon out of range refused with a sentence.
#[test]
fn projection_json_csv_and_a_bad_horizon() {
    let (dir, db) = sample_db();
    let csv = dir.path().join("projection.csv");
    let out = vardesk(
        &[
            "--db",
            &db,
            "projection",
            "--months",
            "30",
            "--json",
            "--csv",
            csv.to_str().unwrap(),
        ],
        b"",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = json["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 30);
    assert_eq!(rows[0]["month"], 0);
    assert_eq!(json["months"], 30);
    assert!(rows[29]["mrr"].as_str().unwrap().contains('.'));
    let crossover = &json["crossover_month"];
    assert!(crossover.is_null() || crossover.is_u64());

    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.starts_with("\u{feff}month,period,mrr,arr,"));
    let lines: Vec<&str> = text.trim_end().split("\r\n").collect();
    assert_eq!(lines.len(), 31, "header and 30 months");
    let last: Vec<&str> = lines[30].split(',').collect();
    assert_eq!(last[0], "29");
    assert_eq!(last[1], rows[29]["period"].as_str().unwrap());
    assert_eq!(last[2], rows[29]["mrr"].as_str().unwrap());
    assert_eq!(last[8], rows[29]["cumulative_one_time"].as_str().unwrap());

    let bad = vardesk(&["--db", &db, "projection", "--months", "121"], b"");
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr(&bad).contains("1 to 120"), "{}", stderr(&bad));
    let usage = vardesk(&["--db", &db, "projection", "--months", "ten"], b"");
    assert_eq!(usage.status.code(), Some(2));
}

/// `backup` and `restore` as a script uses them: a checked copy, a newer-version file
/// refused with both versions named (exit 1), and a restore that brings the data back.
#[test]
fn backup_and_restore_round_trip() {
    let (dir, db) = sample_db();
    let out = dir.path().join("copy.vardesk");
    let made = vardesk(
        &[
            "--db",
            &db,
            "backup",
            "--out",
            out.to_str().unwrap(),
            "--json",
        ],
        b"",
    );
    assert!(made.status.success(), "{}", stderr(&made));
    let json: Value = serde_json::from_slice(&made.stdout).unwrap();
    assert_eq!(json["backup"]["customers"], 18);
    let again = vardesk(
        &["--db", &db, "backup", "--out", out.to_str().unwrap()],
        b"",
    );
    assert_eq!(
        again.status.code(),
        Some(1),
        "an existing file is not overwritten"
    );

    let rotated = vardesk(&["--db", &db, "backup", "--json"], b"");
    assert!(rotated.status.success(), "{}", stderr(&rotated));
    let path: Value = serde_json::from_slice(&rotated.stdout).unwrap();
    assert!(path["path"].as_str().unwrap().contains("backups"));

    // Change the data, then restore the copy: the change is gone, and kept aside.
    let run = vardesk(&["--db", &db, "billing", "run", "2099-01", "--json"], b"");
    assert!(run.status.success(), "{}", stderr(&run));
    let count = |db: &str| -> usize {
        let list = vardesk(&["--db", db, "invoices", "list", "--json"], b"");
        serde_json::from_slice::<Value>(&list.stdout).unwrap()["invoices"]
            .as_array()
            .unwrap()
            .len()
    };
    let with_run = count(&db);
    let restored = vardesk(
        &["--db", &db, "restore", out.to_str().unwrap(), "--json"],
        b"",
    );
    assert!(restored.status.success(), "{}", stderr(&restored));
    assert!(count(&db) < with_run);
    let outcome: Value = serde_json::from_slice(&restored.stdout).unwrap();
    assert_eq!(outcome["safety_backup"]["kind"], "before-restore");
    assert!(vardesk(&["--db", &db, "check"], b"").status.success());

    // A backup from a newer VarDesk: refused, both versions named, nothing changed.
    let newer = dir.path().join("newer.vardesk");
    std::fs::copy(&out, &newer).unwrap();
    rusqlite::Connection::open(&newer)
        .unwrap()
        .pragma_update(None, "user_version", 999)
        .unwrap();
    let refused = vardesk(&["--db", &db, "restore", newer.to_str().unwrap()], b"");
    assert_eq!(refused.status.code(), Some(1));
    let message = stderr(&refused);
    assert!(message.contains("schema version 999"), "{message}");
    let junk = dir.path().join("junk.csv");
    std::fs::write(&junk, "name\nnot a database\n").unwrap();
    let refused = vardesk(&["--db", &db, "restore", junk.to_str().unwrap()], b"");
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("not a VarDesk backup"));
}

/// While the app (here: a lock held by the test) has the data open, commands that write are
/// refused with a sentence and exit 1; reading commands and backups still work.
#[test]
fn writing_commands_wait_for_the_app_to_let_go() {
    let (_dir, db) = sample_db();
    let held = vardesk_store::lock::lock_data(std::path::Path::new(&db)).unwrap();
    let refused = vardesk(&["--db", &db, "billing", "run", "2099-02"], b"");
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("already working with"),
        "{}",
        stderr(&refused)
    );
    assert!(vardesk(&["--db", &db, "invoices", "list"], b"")
        .status
        .success());
    assert!(vardesk(&["--db", &db, "check"], b"").status.success());
    assert!(vardesk(&["--db", &db, "backup"], b"").status.success());
    drop(held);
    assert!(vardesk(&["--db", &db, "billing", "run", "2099-02"], b"")
        .status
        .success());
}

/// `check --report FILE`: the text a user sends to support says what the file holds, what
/// was checked and the result.
#[test]
fn check_writes_a_report_for_support() {
    let (dir, db) = sample_db();
    let file = dir.path().join("report.txt");
    let out = vardesk(
        &["--db", &db, "check", "--report", file.to_str().unwrap()],
        b"",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(&file).unwrap();
    // The file is what was printed, and then what the log says happened lately (#18): the
    // commands by name, never their arguments.
    let (printed, log) = text
        .split_once("\nRecent log (")
        .expect("the log in the report");
    assert_eq!(String::from_utf8_lossy(&out.stdout), printed);
    assert!(log.contains(r#"vardesk{command="init"}: close"#), "{log}");
    assert!(!log.contains(&db), "no argument in the log: {log}");
    assert!(
        text.contains("schema version") && text.contains("18 customers"),
        "{text}"
    );
    assert!(
        text.contains("gapless invoice and credit-note numbers"),
        "{text}"
    );
    assert!(text.contains("Result: OK"), "{text}");
}

/// `export FILE.zip`: every table as CSV and every issued document as PDF, read back.
#[test]
fn export_everything_into_one_zip() {
    let (dir, db) = sample_db();
    let file = dir.path().join("all.zip");
    let out = vardesk(
        &["--db", &db, "export", file.to_str().unwrap(), "--json"],
        b"",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&file).unwrap()).unwrap();
    let read = |zip: &mut zip::ZipArchive<std::fs::File>, name: &str| -> Vec<u8> {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut zip.by_name(name).unwrap(), &mut bytes).unwrap();
        bytes
    };
    for (name, key) in [
        ("customers.csv", "customers"),
        ("quotes.csv", "quotes"),
        ("invoices.csv", "invoices"),
        ("payments.csv", "payments"),
        ("subscriptions.csv", "subscriptions"),
    ] {
        let bytes = read(&mut zip, name);
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "{name} has a BOM");
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        let records = csv::Reader::from_reader(text.as_bytes()).records().count();
        assert_eq!(
            records as u64,
            summary["exported"][key].as_u64().unwrap(),
            "{name}"
        );
        assert!(records > 0, "{name} has rows");
    }
    let pdfs: Vec<String> = zip
        .file_names()
        .filter_map(Result::ok)
        .map(|n| n.to_string())
        .filter(|n| n.starts_with("documents/") && n.ends_with(".pdf"))
        .collect();
    assert_eq!(
        pdfs.len() as u64,
        summary["exported"]["pdfs"].as_u64().unwrap()
    );
    assert!(pdfs.len() > 50, "a year of invoices");
    let first = read(&mut zip, &pdfs[0]);
    assert!(first.starts_with(b"%PDF"));
    // Payments carry decimals with a dot and their invoice's number.
    let payments = String::from_utf8(read(&mut zip, "payments.csv")[3..].to_vec()).unwrap();
    let line = payments.lines().nth(1).unwrap();
    assert!(line.starts_with("INV-"), "{line}");
}
