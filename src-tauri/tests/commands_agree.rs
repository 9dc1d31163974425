//! Every command is listed once, in src/ipc.rs (build.rs derives the permissions from that
//! list). What can still disagree: the capability the window gets
//! (capabilities/default.json) and the UI's calls (`commands.camelName(` from the generated
//! bindings, `call("name"` for the raw ones). This test makes them agree.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn here() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The names in one `macro![commands::module::name, …]` list of src/ipc.rs.
fn listed(ipc: &str, macro_name: &str) -> BTreeSet<String> {
    let start = ipc.find(macro_name).expect("the list in ipc.rs");
    let body = &ipc[start..start + ipc[start..].find(']').expect("its closing bracket")];
    body.split([',', '\n', '['])
        .map(str::trim)
        .filter(|t| t.starts_with("commands::"))
        .map(|t| t.rsplit("::").next().unwrap().to_string())
        .collect()
}

/// Every command the app handles: typed and raw.
fn handlers() -> BTreeSet<String> {
    let ipc = read(&here().join("src/ipc.rs"));
    let mut all = listed(&ipc, "collect_commands![");
    all.extend(listed(&ipc, "generate_handler!["));
    all
}

/// `listInvoices` → `list_invoices`.
fn snake(camel: &str) -> String {
    let mut out = String::new();
    for c in camel.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
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
                if path.file_name().is_some_and(|n| n == "bindings.ts") {
                    continue;
                }
                let text = read(&path);
                for piece in text.split("commands.").skip(1) {
                    let name: String = piece
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric())
                        .collect();
                    if !name.is_empty() && piece[name.len()..].starts_with('(') {
                        names.insert(snake(&name));
                    }
                }
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
fn every_command_is_granted_and_called_by_its_name() {
    let (handlers, granted, called) = (handlers(), granted(), called());
    assert!(handlers.len() > 50, "{handlers:?}");
    let only = |a: &BTreeSet<String>, b: &BTreeSet<String>| -> Vec<String> {
        a.difference(b).cloned().collect()
    };
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
    assert!(called.len() > 80, "{called:?}");
    assert_eq!(
        only(&called, &handlers),
        Vec::<String>::new(),
        "called by the UI, not handled"
    );
}
