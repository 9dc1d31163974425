use tauri::State;
use vardesk_core::catalog::CatalogForm;
use vardesk_core::CoreError;
use vardesk_store::catalog::CatalogRecord;

use crate::AppState;

#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn list_catalog(state: State<'_, AppState>) -> Result<Vec<CatalogRecord>, CoreError> {
    state.with(|store| store.list_catalog())
}

/// Creates an item (`id` null) or saves changes to one.
#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn save_catalog_item(
    state: State<'_, AppState>,
    id: Option<i64>,
    form: CatalogForm,
) -> Result<CatalogRecord, CoreError> {
    state.with(|store| store.save_catalog_item(id, &form))
}
