//! One module per screen. Each command: typed arguments, one call into store/core, and the
//! engine's error (`{code, message, field}`) as the rejection the page sees.

pub mod about;
pub mod backups;
pub mod billing;
pub mod catalog;
pub mod customers;
pub mod dashboard;
pub mod drafts;
pub mod invoices;
pub mod licences;
pub mod moving_in;
pub mod projection;
pub mod quotes;
pub mod reminders;
pub mod settings;
pub mod startup;
pub mod subscriptions;

use tauri::ipc::{InvokeBody, Request};
use vardesk_core::CoreError;

/// The raw bytes a page sent as the request body (a file the user picked).
pub(crate) fn body_bytes(request: &Request<'_>) -> Result<Vec<u8>, CoreError> {
    match request.body() {
        InvokeBody::Raw(bytes) => Ok(bytes.clone()),
        InvokeBody::Json(_) => Err(CoreError::validation(
            "file",
            "No file content was received.",
        )),
    }
}

/// How an import's columns are to be mapped (DOMAIN.md §11): the `x-vardesk-mapping` header
/// of the raw request carries it as ASCII-only JSON; without it, automatically.
pub(crate) fn mapping_request(
    request: &Request<'_>,
) -> Result<vardesk_core::mapping::MappingRequest, CoreError> {
    let Some(value) = request.headers().get("x-vardesk-mapping") else {
        return Ok(Default::default());
    };
    value
        .to_str()
        .ok()
        .and_then(|text| serde_json::from_str(text).ok())
        .ok_or_else(|| CoreError::validation("mapping", "The column mapping could not be read."))
}

/// Writes a file the user asked for, with a sentence when it cannot be written.
pub(crate) fn write_file(path: &std::path::Path, bytes: &[u8]) -> Result<(), CoreError> {
    std::fs::write(path, bytes).map_err(|e| {
        CoreError::validation(
            "file",
            format!("{} cannot be written: {e}.", path.display()),
        )
    })
}

/// Asks where to save a PDF and writes it there; `None` when the user cancelled.
pub(crate) fn save_pdf(
    app: &tauri::AppHandle,
    title: &str,
    name: &str,
    bytes: &[u8],
) -> Result<Option<String>, CoreError> {
    save_file(app, title, name, ("PDF", "pdf"), bytes)
}

/// Asks where to save a file of one type (`filter`: name and extension) and writes it
/// there; `None` when the user cancelled.
pub(crate) fn save_file(
    app: &tauri::AppHandle,
    title: &str,
    name: &str,
    filter: (&str, &str),
    bytes: &[u8],
) -> Result<Option<String>, CoreError> {
    let Some(path) = ask_save_path(app, title, name, filter)? else {
        return Ok(None);
    };
    write_file(&path, bytes)?;
    Ok(Some(path.display().to_string()))
}

/// The save dialog: where the user wants a file of one type; `None` when cancelled.
pub(crate) fn ask_save_path(
    app: &tauri::AppHandle,
    title: &str,
    name: &str,
    filter: (&str, &str),
) -> Result<Option<std::path::PathBuf>, CoreError> {
    use tauri_plugin_dialog::DialogExt;
    let Some(target) = app
        .dialog()
        .file()
        .set_title(title)
        .set_file_name(vardesk_core::format::file_name(name))
        .add_filter(filter.0, &[filter.1])
        .blocking_save_file()
    else {
        return Ok(None);
    };
    target
        .into_path()
        .map(Some)
        .map_err(|_| CoreError::validation("file", "That location cannot be written to."))
}

/// Writes a PDF to a fresh temporary folder and opens it in the system's viewer.
pub(crate) fn open_pdf(
    app: &tauri::AppHandle,
    name: &str,
    bytes: &[u8],
) -> Result<String, CoreError> {
    use tauri_plugin_opener::OpenerExt;
    let path = temp_copy(name, bytes)?;
    app.opener()
        .open_path(path.display().to_string(), None::<&str>)
        .map_err(|e| {
            CoreError::validation(
                "viewer",
                format!("No PDF viewer could open {}: {e}.", path.display()),
            )
        })?;
    Ok(path.display().to_string())
}

/// What Send… did: the draft written to `path`, opened in the mail app or not (then the
/// sentence says where it is).
#[derive(serde::Serialize, specta::Type)]
pub struct SendOutcome {
    pub path: String,
    pub to: String,
    pub opened: bool,
}

/// Send…: `mail` builds the draft, the mail app gets it, and `record` notes it in the books
/// once the mail app took it.
pub(crate) fn send_mail(
    app: &tauri::AppHandle,
    state: &tauri::State<'_, crate::AppState>,
    mail: impl FnOnce(
        &vardesk_store::Store,
        chrono::DateTime<chrono::FixedOffset>,
    ) -> Result<vardesk_documents::mail::Mail, CoreError>,
    record: impl FnOnce(&mut vardesk_store::Store, &str) -> Result<(), CoreError>,
) -> Result<SendOutcome, CoreError> {
    let now = chrono::Local::now().fixed_offset();
    let mail = state.with(|store| mail(store, now))?;
    let outcome = open_mail(app, &mail)?;
    if outcome.opened {
        state.with(|store| record(store, &mail.to))?;
    }
    Ok(outcome)
}

/// Writes an e-mail draft (`.eml`) to a fresh temporary folder and opens it in the system's
/// mail app, which shows it as a new message to send.
pub(crate) fn open_mail(
    app: &tauri::AppHandle,
    mail: &vardesk_documents::mail::Mail,
) -> Result<SendOutcome, CoreError> {
    use tauri_plugin_opener::OpenerExt;
    let path = temp_copy(&mail.file_name, &mail.eml)?;
    // `VARDESK_MAIL_APP`: a program to hand the draft to instead (the end-to-end tests').
    let opened = match std::env::var_os("VARDESK_MAIL_APP") {
        Some(program) => std::process::Command::new(program)
            .arg(&path)
            .status()
            .is_ok_and(|s| s.success()),
        None => app
            .opener()
            .open_path(path.display().to_string(), None::<&str>)
            .is_ok(),
    };
    Ok(SendOutcome {
        path: path.display().to_string(),
        to: mail.to.clone(),
        opened,
    })
}

/// The printers the system has, and the one to offer first: `VARDESK_PRINTER` when set
/// (the tests' cups-pdf queue), else the system's default.
#[derive(serde::Serialize, specta::Type)]
pub struct PrinterChoice {
    pub printers: Vec<vardesk_pdf::print::Printer>,
    pub preferred: Option<String>,
}

#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all)]
pub fn printers() -> PrinterChoice {
    let printers = vardesk_pdf::print::printers();
    let preferred = std::env::var("VARDESK_PRINTER")
        .ok()
        .filter(|p| !p.is_empty())
        .or_else(|| printers.iter().find(|p| p.default).map(|p| p.name.clone()));
    PrinterChoice {
        printers,
        preferred,
    }
}

/// Sends `copies` of a PDF to `printer` (CUPS `lp`, or the Windows print verbs); without one,
/// to `VARDESK_PRINTER` when set, else the system's default.
pub(crate) fn print_pdf(
    name: &str,
    bytes: &[u8],
    printer: Option<String>,
    copies: Option<u32>,
) -> Result<String, CoreError> {
    let path = temp_copy(name, bytes)?;
    let printer = printer.filter(|p| !p.is_empty()).or_else(|| {
        std::env::var("VARDESK_PRINTER")
            .ok()
            .filter(|p| !p.is_empty())
    });
    vardesk_pdf::print::print_pdf(
        &path,
        name.trim_end_matches(".pdf"),
        printer.as_deref(),
        copies.unwrap_or(1),
    )
}

/// Writes a copy of a document to a fresh private temporary folder (created with an
/// unpredictable name, readable only by the user: 0700 on Unix). A fresh folder each time,
/// because a viewer or spooler may still hold the previous copy open on Windows.
fn temp_copy(name: &str, bytes: &[u8]) -> Result<std::path::PathBuf, CoreError> {
    let folder = tempfile::Builder::new()
        .prefix("vardesk-")
        .tempdir()
        .map_err(|e| {
            CoreError::validation(
                "file",
                format!("A temporary folder cannot be created: {e}."),
            )
        })?
        // The viewer or spooler reads the file after this returns: the folder stays.
        .keep();
    let path = folder.join(vardesk_core::format::file_name(name));
    write_file(&path, bytes)?;
    Ok(path)
}
