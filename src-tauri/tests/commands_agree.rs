//! Every command name is written in four places: `generate_handler!` (src/lib.rs), the
//! permission list (build.rs), the capability the window gets (capabilities/default.json)
//! and the UI's calls. A name missing from one of them is a command the window cannot call
//! (or one it may call that does nothing): this test makes them agree.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn here() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The names in `generate_handler![commands::module::name, …]`.
fn handlers() -> BTreeSet<String> {
    let lib = read(&here().join("src/lib.rs"));
    let start = lib
        .find("generate_handler![")
        .expect("generate_handler! in lib.rs");
    let body = &lib[start..start + lib[start..].find(']').expect("its closing bracket")];
    body.split([',', '\n', '['])
        .map(str::trim)
        .filter(|t| t.starts_with("commands::"))
        .map(|t| t.rsplit("::").next().unwrap().to_string())
        .collect()
}

/// The names in build.rs's `COMMANDS` list.
fn permitted() -> BTreeSet<String> {
    let build = read(&here().join("build.rs"));
    let start = build.find("const COMMANDS").expect("COMMANDS in build.rs");
    let body = &build[start..start + build[start..].find("];").expect("its end")];
    body.lines()
        .filter_map(|l| {
            l.trim()
                .strip_prefix('"')?
                .strip_suffix("\",")
                .map(str::to_string)
        })
        .collect()
}

/// The app's own commands the window is allowed (`allow-some-command`).
fn granted() -> BTreeSet<String> {
    let capability = read(&here().join("capabilities/default.json"));
    capability
        .split('"')
        .filter_map(|s| s.strip_prefix("allow-"))
        .filter(|s| !s.contains(':'))
        .map(|s| s.replace('-', "_"))
        .collect()
}

/// Command names the UI calls literally: `call("name"` or `call<T>("name"`.
fn called() -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut stack = vec![here().join("../ui/src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "ts") {
                let text = read(&path);
                let mut rest = text.as_str();
                while let Some(at) = rest.find("call") {
                    rest = &rest[at + 4..];
                    let mut chars = rest.char_indices();
                    // Skip a type argument, with nested angle brackets.
                    let mut depth = 0;
                    let mut open = None;
                    for (i, c) in chars.by_ref() {
                        match c {
                            '<' => depth += 1,
                            '>' if depth > 0 => depth -= 1,
                            '(' if depth == 0 => {
                                open = Some(i);
                                break;
                            }
                            _ if depth == 0 => break,
                            _ => {}
                        }
                    }
                    let Some(open) = open else { continue };
                    let after = &rest[open + 1..];
                    if let Some(quoted) = after.strip_prefix('"') {
                        if let Some(end) = quoted.find('"') {
                            let name = &quoted[..end];
                            if !name.is_empty()
                                && name.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                            {
                                names.insert(name.to_string());
                            }
                        }
                    }
                }
            }
        }
    }
    names
}

#[test]
fn every_command_is_handled_permitted_granted_and_called_by_its_name() {
    let (handlers, permitted, granted, called) = (handlers(), permitted(), granted(), called());
    assert!(handlers.len() > 50, "{handlers:?}");
    let only = |a: &BTreeSet<String>, b: &BTreeSet<String>| -> Vec<String> {
        a.difference(b).cloned().collect()
    };
    assert_eq!(
        only(&handlers, &permitted),
        Vec::<String>::new(),
        "handled, not in build.rs"
    );
    assert_eq!(
        only(&permitted, &handlers),
        Vec::<String>::new(),
        "in build.rs, not handled"
    );
    assert_eq!(
        only(&handlers, &granted),
        Vec::<String>::new(),
        "handled, not granted"
    );
    assert_eq!(
        only(&granted, &handlers),
        Vec::<String>::new(),
        "granted, not handled"
    );
    assert!(called.len() > 40, "{called:?}");
    assert_eq!(
        only(&called, &handlers),
        Vec::<String>::new(),
        "called by the UI, not handled"
    );
}
