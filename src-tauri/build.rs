//! Every app command gets a generated `allow-<command>` permission, so the page can call
//! only the commands that capabilities/default.json grants.

/// The command names in one `macro![ commands::module::name, … ]` list of src/ipc.rs.
fn listed(ipc: &str, macro_name: &str) -> Vec<String> {
    let start = ipc
        .find(macro_name)
        .unwrap_or_else(|| panic!("{macro_name} in src/ipc.rs"));
    let body = &ipc[start..start + ipc[start..].find(']').expect("its closing bracket")];
    body.split([',', '\n', '['])
        .map(str::trim)
        .filter(|t| t.starts_with("commands::"))
        .map(|t| t.rsplit("::").next().unwrap_or(t).to_string())
        .collect()
}

fn main() {
    // The UI is embedded at compile time: rebuild when its bundle changes.
    println!("cargo:rerun-if-changed=../ui/dist");
    // src/ipc.rs lists every command once: the typed ones (collect_commands!) and those
    // taking raw bytes (generate_handler!). Each gets its `allow-<command>` permission, and
    // the raw ones' names are handed back to ipc.rs to route them.
    println!("cargo:rerun-if-changed=src/ipc.rs");
    let ipc = std::fs::read_to_string("src/ipc.rs").expect("src/ipc.rs");
    let raw = listed(&ipc, "generate_handler![");
    let mut all = listed(&ipc, "collect_commands![");
    all.extend(raw.iter().cloned());
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    let names: Vec<String> = raw.iter().map(|n| format!("{n:?}")).collect();
    std::fs::write(
        out.join("raw_commands.rs"),
        format!("const RAW_COMMANDS: &[&str] = &[{}];\n", names.join(", ")),
    )
    .expect("raw_commands.rs is written");
    let all: &'static [&'static str] =
        Vec::leak(all.into_iter().map(|n| &*String::leak(n)).collect());
    let manifest = tauri_build::AppManifest::new().commands(all);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("failed to run the Tauri build script");
}
