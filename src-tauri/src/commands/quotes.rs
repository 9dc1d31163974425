use serde::Deserialize;
use tauri::ipc::Request;
use tauri::State;
use vardesk_core::inventory::{parse_inventory, Inventory};
use vardesk_core::quote::{QuoteEvaluation, QuoteForm};
use vardesk_core::CoreError;
use vardesk_store::quotes::{AcceptOutcome, QuoteQuery, QuoteRecord, QuoteRow};
use vardesk_store::today;

use super::body_bytes;
use crate::AppState;

#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn list_quotes(
    state: State<'_, AppState>,
    query: QuoteQuery,
) -> Result<Vec<QuoteRow>, CoreError> {
    state.with(|store| store.list_quotes(&query, today()))
}

#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn new_quote(state: State<'_, AppState>, customer_id: i64) -> Result<QuoteForm, CoreError> {
    state.with(|store| store.new_quote_form(customer_id, today()))
}

/// Prices the builder's current form; nothing is saved.
#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn evaluate_quote(
    state: State<'_, AppState>,
    form: QuoteForm,
) -> Result<QuoteEvaluation, CoreError> {
    state.with(|store| store.evaluate_quote(&form))
}

#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn save_quote(
    state: State<'_, AppState>,
    id: Option<i64>,
    form: QuoteForm,
) -> Result<QuoteRecord, CoreError> {
    state.with(|store| store.save_quote(id, &form, today()))
}

#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn get_quote(state: State<'_, AppState>, id: i64) -> Result<QuoteRecord, CoreError> {
    state.with(|store| store.quote(id, today()))
}

#[derive(Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum QuoteAction {
    Send,
    Decline,
    Revise,
    Duplicate,
}

/// A lifecycle step; returns the quote to show next (the new one for revise and duplicate).
#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn quote_action(
    state: State<'_, AppState>,
    id: i64,
    action: QuoteAction,
) -> Result<QuoteRecord, CoreError> {
    state.with(|store| match action {
        QuoteAction::Send => store.mark_quote_sent(id, today()),
        QuoteAction::Decline => store.decline_quote(id, today()),
        QuoteAction::Revise => store.revise_quote(id, today()),
        QuoteAction::Duplicate => store.duplicate_quote(id, today()),
    })
}

#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn accept_quote(
    state: State<'_, AppState>,
    id: i64,
    invoicing: Option<vardesk_core::deposit::OneTimeInvoicing>,
) -> Result<AcceptOutcome, CoreError> {
    let invoicing = invoicing.unwrap_or(vardesk_core::deposit::OneTimeInvoicing::AllNow);
    state.with(|store| store.accept_quote_with(id, today(), &invoicing))
}

/// Send…: the quote as an e-mail draft in the mail app; a draft quote is then marked as
/// sent, and the send recorded.
#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn send_quote(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    id: i64,
) -> Result<super::SendOutcome, CoreError> {
    super::send_mail(
        &app,
        &state,
        |store, now| vardesk_documents::mail::quote_mail(store, id, today(), now),
        |store, to| store.quote_sent_by_mail(id, to, today()),
    )
}

/// Sends the quote's PDF to the printer chosen in the print dialog.
#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn print_quote(
    state: State<'_, AppState>,
    id: i64,
    printer: Option<String>,
    copies: Option<u32>,
) -> Result<String, CoreError> {
    let (name, bytes) = state.with(|store| {
        let quote = store.quote(id, today())?;
        let bytes = vardesk_documents::views::quote_pdf(store, &quote)?;
        Ok((format!("{} v{}.pdf", quote.number, quote.version), bytes))
    })?;
    super::print_pdf(&name, &bytes, printer, copies)
}

/// Reads a mailbox inventory export (raw bytes); the builder previews it before applying.
#[tauri::command(async)]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn preview_inventory(request: Request<'_>) -> Result<Inventory, CoreError> {
    parse_inventory(&body_bytes(&request)?)
}

/// The quote as the customer sees it: saved where the user chooses. `None` if cancelled.
#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn save_quote_pdf(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    id: i64,
) -> Result<Option<String>, CoreError> {
    let (name, bytes) = quote_pdf_bytes(&state, id)?;
    super::save_pdf(&app, "Save quote as PDF", &name, &bytes)
}

/// Opens the quote's PDF in the system's viewer (to read or print it).
#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn open_quote_pdf(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    id: i64,
) -> Result<String, CoreError> {
    let (name, bytes) = quote_pdf_bytes(&state, id)?;
    super::open_pdf(&app, &name, &bytes)
}

fn quote_pdf_bytes(state: &State<'_, AppState>, id: i64) -> Result<(String, Vec<u8>), CoreError> {
    state.with(|store| {
        let quote = store.quote(id, today())?;
        let bytes = vardesk_documents::views::quote_pdf(store, &quote)?;
        Ok((format!("{} v{}.pdf", quote.number, quote.version), bytes))
    })
}
