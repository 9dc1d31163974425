//! Sends a PDF to the system's printing, offline: CUPS `lp` on Linux and macOS, the
//! shell's print verbs on Windows (the associated PDF viewer prints it).

use std::path::Path;
#[cfg(not(windows))]
use std::process::Command;

use vardesk_core::{CoreError, ErrorCode};

/// A printer the system has.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
pub struct Printer {
    pub name: String,
    /// The system's default printer.
    pub default: bool,
}

/// The printers the system has, the default first; empty when there are none (or the
/// printing system does not answer): the app then offers the PDF viewer instead.
pub fn printers() -> Vec<Printer> {
    let mut list = system_printers();
    list.sort_by(|a, b| b.default.cmp(&a.default).then(a.name.cmp(&b.name)));
    list
}

/// CUPS: `lpstat -e` names every destination, `lpstat -d` the default one.
#[cfg(not(windows))]
fn system_printers() -> Vec<Printer> {
    let run = |arg: &str| {
        Command::new("lpstat")
            .arg(arg)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
            .unwrap_or_default()
    };
    // "system default destination: Office" (English; other locales put the name last too).
    let default = run("-d")
        .lines()
        .find_map(|l| l.rsplit_once(": ").map(|(_, name)| name.trim().to_string()));
    run("-e")
        .lines()
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(|name| Printer {
            name: name.to_string(),
            default: default.as_deref() == Some(name),
        })
        .collect()
}

/// Windows: the printers WMI knows (`Win32_Printer`), one "name<TAB>default" per line.
#[cfg(windows)]
fn system_printers() -> Vec<Printer> {
    let output = std::process::Command::new("powershell")
        .args([
            "-NoProfile",
            "-NonInteractive",
            "-Command",
            "Get-CimInstance Win32_Printer | ForEach-Object { \"$($_.Name)`t$($_.Default)\" }",
        ])
        .output();
    let Ok(output) = output else {
        return Vec::new();
    };
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .map(|(name, default)| Printer {
            name: name.trim().to_string(),
            default: default.trim().eq_ignore_ascii_case("true"),
        })
        .filter(|p| !p.name.is_empty())
        .collect()
}

/// Prints `copies` of `file` on `printer` (`None`: the system's default); `title` names the
/// job in the print queue. Returns the print job ("job PDF-3" with CUPS), or what the
/// system said.
#[cfg(not(windows))]
pub fn print_pdf(
    file: &Path,
    title: &str,
    printer: Option<&str>,
    copies: u32,
) -> Result<String, CoreError> {
    let mut command = print_command(title, printer);
    command
        .arg("-n")
        .arg(copies.clamp(1, 99).to_string())
        .arg("--")
        .arg(file);
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
fn print_command(title: &str, printer: Option<&str>) -> Command {
    let mut c = Command::new("lp");
    if let Some(printer) = printer {
        c.arg("-d").arg(printer);
    }
    c.arg("-t").arg(title);
    c
}

/// Windows: the file's associated viewer prints it through `ShellExecuteExW` with the
/// `print` verb (default printer) or `printto` with the printer's name as the parameter. The
/// path and name go in as separate wide strings: no shell and no command line to escape
/// (CLARIFICATIONS.md).
#[cfg(windows)]
pub fn print_pdf(
    file: &Path,
    title: &str,
    printer: Option<&str>,
    copies: u32,
) -> Result<String, CoreError> {
    // The print verbs print one copy each time.
    let mut said = String::new();
    for _ in 0..copies.clamp(1, 99) {
        said = print_once(file, title, printer)?;
    }
    Ok(said)
}

#[cfg(windows)]
fn print_once(file: &Path, _title: &str, printer: Option<&str>) -> Result<String, CoreError> {
    use std::os::windows::ffi::OsStrExt;
    use windows_sys::Win32::UI::Shell::{
        ShellExecuteExW, SEE_MASK_FLAG_NO_UI, SEE_MASK_NOASYNC, SHELLEXECUTEINFOW,
    };
    use windows_sys::Win32::UI::WindowsAndMessaging::SW_HIDE;

    fn wide(text: &std::ffi::OsStr) -> Vec<u16> {
        text.encode_wide().chain(std::iter::once(0)).collect()
    }
    if let Some(name) = printer {
        if name.contains('"') || name.chars().any(char::is_control) {
            return Err(CoreError::new(
                ErrorCode::Validation,
                format!("\"{name}\" is not a printer name."),
            ));
        }
    }
    let verb = wide(std::ffi::OsStr::new(if printer.is_some() {
        "printto"
    } else {
        "print"
    }));
    let path = wide(file.as_os_str());
    // printto's parameter is the printer's name, quoted as one argument.
    let parameters = printer.map(|name| wide(std::ffi::OsStr::new(&format!("\"{name}\""))));
    #[allow(unsafe_code)]
    // SAFETY: the structure is plain data (all-zero is its documented empty value); every
    // pointer in it points at a NUL-terminated buffer that lives until the call returns.
    let launched = unsafe {
        let mut info: SHELLEXECUTEINFOW = std::mem::zeroed();
        info.cbSize = std::mem::size_of::<SHELLEXECUTEINFOW>() as u32;
        info.fMask = SEE_MASK_NOASYNC | SEE_MASK_FLAG_NO_UI;
        info.lpVerb = verb.as_ptr();
        info.lpFile = path.as_ptr();
        info.lpParameters = parameters.as_ref().map_or(std::ptr::null(), |p| p.as_ptr());
        info.nShow = SW_HIDE;
        ShellExecuteExW(&mut info) != 0
    };
    if launched {
        Ok("sent to the printer".to_string())
    } else {
        Err(CoreError::new(
            ErrorCode::Validation,
            format!(
                "The document was not printed: {}. Check that a PDF viewer and a printer are set up, or open the PDF and print it from the viewer.",
                std::io::Error::last_os_error()
            ),
        ))
    }
}
