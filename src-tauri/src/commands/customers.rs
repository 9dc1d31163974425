use serde::Serialize;
use tauri::ipc::Request;
use tauri::{AppHandle, State};
use vardesk_core::customer::{CustomerForm, ImportPreview};
use vardesk_core::CoreError;
use vardesk_store::customers::{CustomerPage, CustomerQuery, CustomerRecord, ImportOutcome};
use vardesk_store::overview::CustomerOverview;

use super::body_bytes;
use crate::AppState;

#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn list_customers(
    state: State<'_, AppState>,
    query: CustomerQuery,
) -> Result<CustomerPage, CoreError> {
    state.with(|store| store.list_customers(&query))
}

/// The customer page: the customer with its quotes, invoices and subscriptions.
#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn customer_overview(
    state: State<'_, AppState>,
    id: i64,
) -> Result<CustomerOverview, CoreError> {
    let today = vardesk_store::today();
    state.with(|store| store.customer_overview(id, today))
}

#[derive(Serialize, specta::Type)]
pub struct CustomerView {
    record: CustomerRecord,
    /// The record as form fields, for editing.
    form: CustomerForm,
}

#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn get_customer(state: State<'_, AppState>, id: i64) -> Result<CustomerView, CoreError> {
    let record = state.with(|store| store.customer(id))?;
    Ok(CustomerView {
        form: CustomerForm::from_data(&record.data),
        record,
    })
}

#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn create_customer(
    state: State<'_, AppState>,
    form: CustomerForm,
) -> Result<CustomerRecord, CoreError> {
    state.with(|store| store.create_customer(&form))
}

#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn update_customer(
    state: State<'_, AppState>,
    id: i64,
    form: CustomerForm,
) -> Result<CustomerRecord, CoreError> {
    state.with(|store| store.update_customer(id, &form))
}

#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn set_customer_archived(
    state: State<'_, AppState>,
    id: i64,
    archived: bool,
) -> Result<CustomerRecord, CoreError> {
    state.with(|store| store.set_customer_archived(id, archived))
}

/// The file's bytes arrive as the raw request body; nothing is written.
#[tauri::command(async)]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn preview_customer_import(
    state: State<'_, AppState>,
    request: Request<'_>,
) -> Result<ImportPreview, CoreError> {
    let bytes = body_bytes(&request)?;
    let mapping = super::mapping_request(&request)?;
    state.with(|store| store.preview_customer_import_with(&bytes, &mapping))
}

/// Imports all rows in one transaction, or none when any row has an error.
#[tauri::command(async)]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn import_customers(
    state: State<'_, AppState>,
    request: Request<'_>,
) -> Result<ImportOutcome, CoreError> {
    let bytes = body_bytes(&request)?;
    let mapping = super::mapping_request(&request)?;
    state.with(|store| store.import_customers_with(&bytes, &mapping))
}

/// Asks where to save, then writes every customer as CSV. `None` when the user cancelled.
#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn export_customers(
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<Option<String>, CoreError> {
    let bytes = state.with(|store| store.export_customers())?;
    super::save_file(
        &app,
        "Export customers",
        "customers.csv",
        ("CSV", "csv"),
        &bytes,
    )
}
