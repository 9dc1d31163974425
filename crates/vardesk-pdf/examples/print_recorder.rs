//! Stands in for a PDF viewer in the Windows printing test (`print::windows_tests`): the
//! test registers it as the `print` and `printto` verbs of a test-only file type, and it
//! appends the arguments it was started with to the file named by `VARDESK_PRINT_RECORD`,
//! one start per line, the arguments separated by U+001F. Cargo builds it with the tests.

use std::io::Write;

fn main() {
    let Some(record) = std::env::var_os("VARDESK_PRINT_RECORD") else {
        eprintln!("print_recorder: VARDESK_PRINT_RECORD is not set");
        std::process::exit(2);
    };
    let line: Vec<String> = std::env::args().skip(1).collect();
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(record)
        .expect("the record file opens");
    writeln!(file, "{}", line.join("\u{1f}")).expect("the record is written");
}
