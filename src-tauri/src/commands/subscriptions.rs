//! Subscriptions and licences: the list, one to edit, and saving it (seat changes and their
//! credits included, §10).

use tauri::State;
use vardesk_core::invoicing::SubscriptionForm;
use vardesk_core::CoreError;
use vardesk_store::subscriptions::SubscriptionRow;
use vardesk_store::today;

use crate::AppState;

#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn list_subscriptions(state: State<'_, AppState>) -> Result<Vec<SubscriptionRow>, CoreError> {
    state.with(|store| store.list_subscriptions(today()))
}

#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn get_subscription(
    state: State<'_, AppState>,
    id: i64,
) -> Result<SubscriptionForm, CoreError> {
    state.with(|store| store.subscription_form(id))
}

/// Creates (`id` absent) or updates a subscription; its id and, for a licence, what its
/// seats did (§10).
#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn save_subscription(
    state: State<'_, AppState>,
    id: Option<i64>,
    form: SubscriptionForm,
) -> Result<vardesk_store::subscriptions::SavedSubscription, CoreError> {
    state.with(|store| store.save_subscription_on(id, &form, today()))
}
