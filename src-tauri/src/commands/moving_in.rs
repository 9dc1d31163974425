//! Moving in (DOMAIN.md §11): what an import's columns can be mapped to. The imports
//! themselves live with what they import.

use vardesk_core::mapping::{Field, ImportKind};
use vardesk_core::CoreError;

fn kind(text: &str) -> Result<ImportKind, CoreError> {
    ImportKind::parse(text).ok_or_else(|| {
        CoreError::validation(
            "kind",
            format!("\"{text}\" is not something VarDesk imports."),
        )
    })
}

/// The fields a column of a `kind` import can go to, in the order the drop-down lists them.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn import_fields(kind: String) -> Result<Vec<Field>, CoreError> {
    Ok(self::kind(&kind)?.fields().to_vec())
}

/// What importing this open-invoice export would do (raw body; the mapping in a header).
#[tauri::command(async)]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn preview_open_invoice_import(
    state: tauri::State<'_, crate::AppState>,
    request: tauri::ipc::Request<'_>,
) -> Result<vardesk_core::open_invoices::OpenInvoicePreview, CoreError> {
    let bytes = super::body_bytes(&request)?;
    let mapping = super::mapping_request(&request)?;
    state.with(|store| store.preview_open_invoice_import(&bytes, &mapping))
}

/// Imports every open invoice in one transaction, or none when a row has an error.
#[tauri::command(async)]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn import_open_invoices(
    state: tauri::State<'_, crate::AppState>,
    request: tauri::ipc::Request<'_>,
) -> Result<vardesk_store::imports::OpenInvoiceOutcome, CoreError> {
    let bytes = super::body_bytes(&request)?;
    let mapping = super::mapping_request(&request)?;
    state.with(|store| store.import_open_invoices(&bytes, &mapping))
}

/// What importing this running-subscriptions export would do (raw body; mapping in a header).
#[tauri::command(async)]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn preview_subscription_import(
    state: tauri::State<'_, crate::AppState>,
    request: tauri::ipc::Request<'_>,
) -> Result<vardesk_core::subscription_import::SubscriptionImportPreview, CoreError> {
    let bytes = super::body_bytes(&request)?;
    let mapping = super::mapping_request(&request)?;
    let today = vardesk_store::today();
    state.with(|store| store.preview_subscription_import(&bytes, &mapping, today))
}

/// Imports every running subscription in one transaction, or none when a row has an error.
#[tauri::command(async)]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn import_subscriptions(
    state: tauri::State<'_, crate::AppState>,
    request: tauri::ipc::Request<'_>,
) -> Result<vardesk_store::imports::SubscriptionImportOutcome, CoreError> {
    let bytes = super::body_bytes(&request)?;
    let mapping = super::mapping_request(&request)?;
    let today = vardesk_store::today();
    state.with(|store| store.import_subscriptions(&bytes, &mapping, today))
}

/// What each step of the moving-in checklist did in these books.
#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn moving_in_steps(
    state: tauri::State<'_, crate::AppState>,
) -> Result<std::collections::BTreeMap<String, String>, CoreError> {
    state.with(|store| store.moving_in_steps())
}

/// Records what a step did ("Imported 12 customers.", "Skipped.").
#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn record_moving_in_step(
    state: tauri::State<'_, crate::AppState>,
    step: String,
    said: String,
) -> Result<(), CoreError> {
    state.with(|store| store.record_moving_in_step(&step, &said))
}
