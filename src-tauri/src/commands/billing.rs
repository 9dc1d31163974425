//! The monthly billing run (DOMAIN.md §5): its preview, the run itself, and the first month
//! still to bill.

use tauri::State;
use vardesk_core::CoreError;
use vardesk_store::billing_run::BillingRun;
use vardesk_store::today;

use crate::AppState;

/// What the month's run would create. Licences whose term ended before the month renew (or
/// end) first (§10) — that happened whether or not the run is made; nothing else is written.
#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn preview_billing_run(
    state: State<'_, AppState>,
    period: String,
) -> Result<BillingRun, CoreError> {
    state.with(|store| {
        let month = vardesk_core::billing::Period::parse(&period)?;
        store.renew_licences(month.first_day())?;
        store.preview_billing_run(&period)
    })
}

/// Creates the month's drafts in one transaction (and issues them when asked).
#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn run_billing(
    state: State<'_, AppState>,
    period: String,
    issue: bool,
) -> Result<BillingRun, CoreError> {
    state.with(|store| {
        let run = store.run_billing(&period)?;
        if issue {
            let (_, problems) = store.issue_all_drafts(Some(&run.period), today())?;
            if !problems.is_empty() {
                return Err(CoreError::validation(
                    "issue",
                    format!(
                        "The drafts were created, but {} could not be issued: {}",
                        problems.len(),
                        problems.join(" ")
                    ),
                ));
            }
        }
        Ok(run)
    })
}

/// The month the billing dialog opens on: the earliest still to bill.
#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn first_month_to_bill(state: State<'_, AppState>) -> Result<Option<String>, CoreError> {
    state.with(|store| store.first_month_to_bill(today()))
}
