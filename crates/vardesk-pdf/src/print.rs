//! Sends a PDF to the system's printing, offline: CUPS `lp` on Linux and macOS, the
//! shell's print verb on Windows (the PDF viewer prints to the default printer).

use std::path::Path;
use std::process::Command;

use vardesk_core::{CoreError, ErrorCode};

/// Prints `file` on `printer` (`None`: the system's default); `title` names the job in the
/// print queue. Returns the print job ("job PDF-3" with CUPS), or what the system said.
pub fn print_pdf(file: &Path, title: &str, printer: Option<&str>) -> Result<String, CoreError> {
    let mut command = print_command(file, title, printer);
    let output = command.output().map_err(|e| {
        CoreError::new(
            ErrorCode::Validation,
            format!("The system's printing could not be started ({e}). Open the PDF and print it from the viewer."),
        )
    })?;
    let said = |bytes: &[u8]| String::from_utf8_lossy(bytes).trim().to_string();
    if output.status.success() {
        // CUPS says "request id is PDF-3 (1 file(s))": the job id is what a user can look up.
        let stdout = said(&output.stdout);
        Ok(stdout
            .split("request id is ")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .map_or(stdout.clone(), |job| format!("job {job}")))
    } else {
        let reason = said(&output.stderr);
        Err(CoreError::new(
            ErrorCode::Validation,
            format!(
                "The document was not printed: {}. Check that a printer is set up, or open the PDF and print it from the viewer.",
                if reason.is_empty() { "the printing system refused it".to_string() } else { reason.trim_end_matches('.').to_string() }
            ),
        ))
    }
}

#[cfg(not(windows))]
fn print_command(file: &Path, title: &str, printer: Option<&str>) -> Command {
    let mut c = Command::new("lp");
    if let Some(printer) = printer {
        c.arg("-d").arg(printer);
    }
    c.arg("-t").arg(title).arg("--").arg(file);
    c
}

#[cfg(windows)]
fn print_command(file: &Path, _title: &str, _printer: Option<&str>) -> Command {
    // The "print" verb of the file's associated viewer, through PowerShell's Start-Process.
    // The path sits in a single-quoted string, where only ' needs escaping (doubled).
    let path = file.display().to_string().replace('\'', "''");
    let mut c = Command::new("powershell");
    c.args([
        "-NoProfile",
        "-NonInteractive",
        "-Command",
        &format!("Start-Process -FilePath '{path}' -Verb Print"),
    ]);
    // No console window flashing up over the app while PowerShell runs.
    use std::os::windows::process::CommandExt;
    const CREATE_NO_WINDOW: u32 = 0x0800_0000;
    c.creation_flags(CREATE_NO_WINDOW);
    c
}
