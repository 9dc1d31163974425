//! Draft invoices typed by hand: their figures while typing, saving, deleting, and issuing
//! the ticked ones.

use tauri::State;
use vardesk_core::invoicing::{DraftForm, DraftPreview};
use vardesk_core::CoreError;
use vardesk_store::invoices::CurrencyTotal;
use vardesk_store::today;

use crate::AppState;

/// A draft's line amounts and totals as typed, for the editor; nothing is written.
#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn preview_draft(
    state: State<'_, AppState>,
    form: DraftForm,
) -> Result<DraftPreview, CoreError> {
    let draft = form.validate()?;
    let (currency, tax) = state.with(|store| {
        Ok((
            store.customer(draft.customer_id)?.data.currency,
            store.customer_tax(draft.customer_id)?,
        ))
    })?;
    draft.preview(currency, &tax)
}

#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn create_draft(state: State<'_, AppState>, form: DraftForm) -> Result<i64, CoreError> {
    state.with(|store| store.create_draft(&form))
}

#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn save_draft(state: State<'_, AppState>, id: i64, form: DraftForm) -> Result<(), CoreError> {
    state.with(|store| store.save_draft(id, &form))
}

#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn delete_draft(state: State<'_, AppState>, id: i64) -> Result<(), CoreError> {
    state.with(|store| store.delete_draft(id))
}

/// Issues the ticked draft invoices; returns how many were issued and what could not be.
#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn issue_drafts(
    state: State<'_, AppState>,
    ids: Vec<i64>,
) -> Result<(usize, Vec<String>), CoreError> {
    state.with(|store| {
        let (issued, problems) = store.issue_drafts(&ids, today())?;
        Ok((issued.len(), problems))
    })
}

/// What the ticked draft invoices add up to, per currency.
#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn draft_totals(
    state: State<'_, AppState>,
    ids: Vec<i64>,
) -> Result<Vec<CurrencyTotal>, CoreError> {
    state.with(|store| store.draft_totals(&ids, today()))
}
