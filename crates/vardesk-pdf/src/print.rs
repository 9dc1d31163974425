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

/// The shell's print verbs as a PDF viewer receives them. Runs on Windows (and under Wine:
/// `scripts/test-windows.sh`). A test-only file type's `print` and `printto` verbs start the
/// `print_recorder` example, which writes down its arguments.
#[cfg(all(test, windows))]
mod windows_tests {
    use std::path::{Path, PathBuf};
    use std::time::{Duration, Instant};

    use windows_sys::Win32::System::Registry::{
        RegDeleteTreeW, RegGetValueW, RegSetKeyValueW, HKEY, HKEY_CLASSES_ROOT, HKEY_CURRENT_USER,
        REG_SZ, RRF_RT_REG_SZ,
    };

    const EXTENSION: &str = ".vardeskprinttest";
    const CLASS: &str = "VarDesk.PrintTest";

    fn wide(text: &str) -> Vec<u16> {
        text.encode_utf16().chain(std::iter::once(0)).collect()
    }

    /// Sets the default value of a key, creating the key.
    fn set_value(root: HKEY, key: &str, value: &str) {
        let (key, data) = (wide(key), wide(value));
        #[allow(unsafe_code)]
        // SAFETY: both buffers are NUL-terminated and outlive the call; the size given is the
        // data's in bytes, its NUL included, as REG_SZ wants.
        let status = unsafe {
            RegSetKeyValueW(
                root,
                key.as_ptr(),
                std::ptr::null(),
                REG_SZ,
                data.as_ptr().cast(),
                (data.len() * 2) as u32,
            )
        };
        assert_eq!(status, 0, "the registry refused the test file type");
    }

    /// Whether the shell sees the test file type (HKEY_CLASSES_ROOT).
    fn known_to_the_shell() -> bool {
        let key = wide(EXTENSION);
        #[allow(unsafe_code)]
        // SAFETY: a NUL-terminated key name; no data buffer is asked for.
        let status = unsafe {
            RegGetValueW(
                HKEY_CLASSES_ROOT,
                key.as_ptr(),
                std::ptr::null(),
                RRF_RT_REG_SZ,
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                std::ptr::null_mut(),
            )
        };
        status == 0
    }

    /// The verbs registered for this user (HKCU\Software\Classes, as a PDF viewer installed
    /// per user has them); removed again when dropped.
    struct TestFileType;

    impl TestFileType {
        fn register(recorder: &Path) -> Self {
            let exe = recorder.display();
            let keys = [
                (EXTENSION.to_string(), CLASS.to_string()),
                (
                    format!(r"{CLASS}\shell\print\command"),
                    format!(r#""{exe}" print "%1""#),
                ),
                (
                    format!(r"{CLASS}\shell\printto\command"),
                    format!(r#""{exe}" printto "%1" "%2""#),
                ),
            ];
            for (key, value) in &keys {
                set_value(
                    HKEY_CURRENT_USER,
                    &format!(r"Software\Classes\{key}"),
                    value,
                );
            }
            // Windows shows the user's classes in HKEY_CLASSES_ROOT; Wine 8 does not, so
            // there they go in directly.
            if !known_to_the_shell() {
                for (key, value) in &keys {
                    set_value(HKEY_CLASSES_ROOT, key, value);
                }
            }
            TestFileType
        }
    }

    impl Drop for TestFileType {
        fn drop(&mut self) {
            for (root, prefix) in [
                (HKEY_CURRENT_USER, r"Software\Classes\"),
                (HKEY_CLASSES_ROOT, ""),
            ] {
                for key in [EXTENSION, CLASS] {
                    let key = wide(&format!("{prefix}{key}"));
                    #[allow(unsafe_code)]
                    // SAFETY: a NUL-terminated key name that outlives the call.
                    unsafe {
                        RegDeleteTreeW(root, key.as_ptr());
                    }
                }
            }
        }
    }

    /// The recorder's lines once `count` starts have written theirs (the verbs run
    /// asynchronously to the test).
    fn recorded(file: &Path, count: usize) -> Vec<Vec<String>> {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let text = std::fs::read_to_string(file).unwrap_or_default();
            let lines: Vec<Vec<String>> = text
                .lines()
                .map(|l| l.split('\u{1f}').map(str::to_string).collect())
                .collect();
            if lines.len() >= count || Instant::now() > deadline {
                return lines;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    #[test]
    fn the_verbs_get_the_path_and_the_printer_as_whole_arguments() {
        // Test executables sit in `deps`; cargo puts the examples beside it.
        let exe = std::env::current_exe().unwrap();
        let recorder: PathBuf = exe
            .parent()
            .unwrap()
            .parent()
            .unwrap()
            .join(r"examples\print_recorder.exe");
        assert!(recorder.exists(), "{} was not built", recorder.display());
        let dir = std::env::temp_dir().join(format!("vardesk-print-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        // What a shell string would split, expand or treat as an operator.
        let file = dir.join(format!("Zoë & Co's 100% ^invoice (2) %PATH%{EXTENSION}"));
        std::fs::write(&file, b"%PDF-1.7").unwrap();
        let record = dir.join("record.txt");
        let _ = std::fs::remove_file(&record);
        std::env::set_var("VARDESK_PRINT_RECORD", &record);
        let _type = TestFileType::register(&recorder);
        let path = file.display().to_string();

        super::print_pdf(&file, "Invoice", None, 2).unwrap();
        let lines = recorded(&record, 2);
        assert_eq!(lines, vec![vec!["print".to_string(), path.clone()]; 2]);

        // Windows passes a quoted name with spaces as one %2; Wine 8 splits it at the first
        // space, so the name here has shell operators but no space.
        let printer = "Office&Co^5%PATH%(2)";
        super::print_pdf(&file, "Invoice", Some(printer), 1).unwrap();
        let lines = recorded(&record, 3);
        assert_eq!(lines[2], ["printto", &path, printer]);

        // A name that would end the quoted argument is refused, nothing started.
        let refused = super::print_pdf(&file, "Invoice", Some("Office\" & calc"), 1).unwrap_err();
        assert!(
            refused.message.contains("is not a printer name"),
            "{}",
            refused.message
        );
        std::thread::sleep(Duration::from_millis(500));
        assert_eq!(recorded(&record, 3).len(), 3);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
