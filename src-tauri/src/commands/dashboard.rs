//! The home screen's figures.

use tauri::State;
use vardesk_core::CoreError;
use vardesk_store::today;

use crate::AppState;

/// The home screen's figures.
#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn dashboard(
    state: State<'_, AppState>,
) -> Result<vardesk_store::dashboard::Dashboard, CoreError> {
    state.with(|store| store.dashboard(today()))
}
