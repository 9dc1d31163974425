//! One module per screen. Each command: typed arguments, one call into store/core, and the
//! engine's error (`{code, message, field}`) as the rejection the page sees.

pub mod catalog;
pub mod customers;
pub mod invoices;
pub mod quotes;
pub mod settings;

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

/// Writes a file the user asked for, with a sentence when it cannot be written.
pub(crate) fn write_file(path: &std::path::Path, bytes: &[u8]) -> Result<(), CoreError> {
    std::fs::write(path, bytes).map_err(|e| {
        CoreError::validation(
            "file",
            format!("{} cannot be written: {e}.", path.display()),
        )
    })
}
