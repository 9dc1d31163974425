//! Every worked example under `../shared/fixtures` against the engine (`calc::run`).
//! The CLI test runs the same files through the `vardesk calc` process.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::Value;
use vardesk_core::calc;

fn fixtures_dir() -> PathBuf {
    let dir = std::env::var_os("VARDESK_FIXTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures"));
    assert!(dir.is_dir(), "fixtures folder {} is missing", dir.display());
    dir
}

fn cases(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(cases(&path));
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// `expected` must be a subset of `actual` by the README's rules.
fn check(expected: &Value, actual: &Value, path: &str, errors: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (key, value) in e {
                if key == "rows_at" {
                    let rows = a.get("rows").and_then(Value::as_array);
                    for (index, row) in value.as_object().unwrap() {
                        let i: usize = index.parse().unwrap();
                        match rows.and_then(|r| r.get(i)) {
                            Some(actual_row) => {
                                check(row, actual_row, &format!("{path}.rows[{i}]"), errors)
                            }
                            None => errors.push(format!("{path}.rows[{i}] missing")),
                        }
                    }
                    continue;
                }
                match a.get(key) {
                    Some(actual_value) if key == "number" => {
                        if actual_value != value {
                            errors.push(format!("{path}.{key}: {value} != {actual_value}"));
                        }
                    }
                    Some(actual_value) => {
                        check(value, actual_value, &format!("{path}.{key}"), errors)
                    }
                    None => errors.push(format!("{path}.{key} missing in output")),
                }
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                errors.push(format!(
                    "{path}: {} elements expected, {} found",
                    e.len(),
                    a.len()
                ));
                return;
            }
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                check(ev, av, &format!("{path}[{i}]"), errors);
            }
        }
        (Value::String(e), Value::String(a)) => {
            let same = match (Decimal::from_str(e), Decimal::from_str(a)) {
                (Ok(x), Ok(y)) => x == y,
                _ => e == a,
            };
            if !same {
                errors.push(format!("{path}: expected {e}, got {a}"));
            }
        }
        (e, a) => {
            if e != a {
                errors.push(format!("{path}: expected {e}, got {a}"));
            }
        }
    }
}

/// The input of a case, with `inventory` paths made absolute.
pub fn prepared_input(case: &Value, file: &Path) -> Value {
    let mut input = case["input"].clone();
    if case["op"] == "inventory" {
        let rel = input["path"].as_str().unwrap().to_string();
        input["path"] = Value::String(file.parent().unwrap().join(rel).display().to_string());
    }
    input
}

#[test]
fn every_fixture_passes() {
    let files = cases(&fixtures_dir());
    assert!(
        files.len() >= 60,
        "only {} fixture files found",
        files.len()
    );
    let mut failures = Vec::new();
    for file in &files {
        let case: Value = serde_json::from_slice(&std::fs::read(file).unwrap()).unwrap();
        let op = case["op"].as_str().unwrap();
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        match calc::run(op, &prepared_input(&case, file), &|path| {
            std::fs::read(path).map_err(|e| e.to_string())
        }) {
            Ok(actual) => {
                let mut errors = Vec::new();
                check(&case["expected"], &actual, "", &mut errors);
                if !errors.is_empty() {
                    failures.push(format!("{op}/{name}:\n  {}", errors.join("\n  ")));
                }
            }
            Err(e) => failures.push(format!("{op}/{name}: error {}", e.message)),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixtures fail:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}

#[test]
fn the_checker_can_fail() {
    let mut errors = Vec::new();
    check(
        &serde_json::json!({"a": "1.50", "number": "0042"}),
        &serde_json::json!({"a": "1.5", "number": "42"}),
        "",
        &mut errors,
    );
    assert_eq!(errors.len(), 1, "{errors:?}");
    let mut errors = Vec::new();
    check(
        &serde_json::json!({"a": "1.50"}),
        &serde_json::json!({"a": 1.5}),
        "",
        &mut errors,
    );
    assert_eq!(errors.len(), 1);
}
