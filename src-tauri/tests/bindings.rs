//! `ui/src/bindings.ts` is what the Rust command signatures and IPC types say, so a Rust
//! change the UI does not follow fails the UI's type check. This test fails when the
//! committed file differs from what the Rust code generates now;
//! `VARDESK_WRITE_BINDINGS=1 cargo test -p vardesk-desktop --test bindings` rewrites it.

use std::path::PathBuf;

#[test]
fn the_committed_bindings_are_what_the_rust_code_generates() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings.ts");
    let generated = vardesk_desktop::ipc::bindings().expect("the bindings are generated");
    if std::env::var_os("VARDESK_WRITE_BINDINGS").is_some() {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "ui/src/bindings.ts is not what the Rust code generates: run \
         `VARDESK_WRITE_BINDINGS=1 cargo test -p vardesk-desktop --test bindings` and commit it"
    );
}
