//! Microsoft licences (DOMAIN.md §10): the distributor's bill reconciled against the books,
//! and each finding's fix.

use tauri::{AppHandle, State};
use vardesk_core::reconcile::{Fix, Reconciliation};
use vardesk_core::CoreError;
use vardesk_store::today;

use crate::AppState;

fn reconcile(
    state: &AppState,
    request: &tauri::ipc::Request<'_>,
) -> Result<Reconciliation, CoreError> {
    let bytes = super::body_bytes(request)?;
    let mapping = super::mapping_request(request)?;
    state.with(|store| {
        store.reconcile_bill(
            || Ok(std::io::Cursor::new(bytes.as_slice())),
            &mapping,
            today(),
        )
    })
}

/// The bill (raw body; the column mapping in a header) matched to the subscriptions:
/// findings and each customer's margin. Nothing is written but a mapping asked to be saved.
#[tauri::command(async)]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn reconcile_bill(
    state: State<'_, AppState>,
    request: tauri::ipc::Request<'_>,
) -> Result<Reconciliation, CoreError> {
    reconcile(&state, &request)
}

/// Applies one finding's fix in one transaction; the subscription changed or added.
#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn apply_reconcile_fix(
    state: State<'_, AppState>,
    fix: Fix,
    period: String,
    price: Option<String>,
) -> Result<i64, CoreError> {
    state.with(|store| store.apply_reconcile_fix(&fix, &period, price.as_deref()))
}

/// Asks where to save the reconciliation as CSV; `None` when cancelled.
#[tauri::command(async)]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn export_reconciliation_csv(
    app: AppHandle,
    state: State<'_, AppState>,
    request: tauri::ipc::Request<'_>,
) -> Result<Option<String>, CoreError> {
    let r = reconcile(&state, &request)?;
    super::save_file(
        &app,
        "Export reconciliation as CSV",
        &format!("reconciliation-{}.csv", r.period),
        ("CSV", "csv"),
        &vardesk_core::reconcile::report_csv(&r),
    )
}

/// The sample books' distributor bill for this month (a Partner Center reconciliation file
/// with a few planted differences), to try the reconciliation on.
#[tauri::command(async)]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn sample_distributor_bill(
    state: State<'_, AppState>,
) -> Result<tauri::ipc::Response, CoreError> {
    let bytes = state.with(|store| store.sample_distributor_bill(today()))?;
    Ok(tauri::ipc::Response::new(bytes))
}

/// The licences renewing (or ending) in the next `days` days (§10).
#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn licence_renewals(
    state: State<'_, AppState>,
    days: u64,
) -> Result<Vec<vardesk_store::licences::Renewal>, CoreError> {
    state.with(|store| store.renewals(today(), days.min(366)))
}

/// Schedules what a licence's renewal brings: its seats then (empty: as now) and whether it
/// renews at all.
#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn schedule_renewal(
    state: State<'_, AppState>,
    id: i64,
    seats: String,
    auto_renew: bool,
) -> Result<(), CoreError> {
    let seats = match seats.trim() {
        "" => None,
        text => Some(vardesk_core::money::parse_typed_decimal("quantity", text)?),
    };
    state.with(|store| store.schedule_renewal(id, seats, auto_renew, today()))
}

/// Whether a price-list import also sets the items' prices (the `x-vardesk-update-prices`
/// header of the raw request).
fn update_prices(request: &tauri::ipc::Request<'_>) -> bool {
    request
        .headers()
        .get("x-vardesk-update-prices")
        .is_some_and(|v| v.as_bytes() == b"1")
}

/// What importing this price list would do (raw body; mapping and options in headers).
#[tauri::command(async)]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn preview_price_list(
    state: State<'_, AppState>,
    request: tauri::ipc::Request<'_>,
) -> Result<vardesk_store::price_list::PriceListPreview, CoreError> {
    let bytes = super::body_bytes(&request)?;
    let mapping = super::mapping_request(&request)?;
    let update = update_prices(&request);
    state.with(|store| store.preview_price_list(&bytes, &mapping, update, today()))
}

/// Imports the price list into the catalog in one transaction, or nothing.
#[tauri::command(async)]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn import_price_list(
    state: State<'_, AppState>,
    request: tauri::ipc::Request<'_>,
) -> Result<vardesk_store::price_list::PriceListOutcome, CoreError> {
    let bytes = super::body_bytes(&request)?;
    let mapping = super::mapping_request(&request)?;
    let update = update_prices(&request);
    state.with(|store| store.import_price_list(&bytes, &mapping, update, today()))
}

/// Asks where to save the reconciliation as PDF (the bill's file name in the
/// `x-vardesk-file-name` header); `None` when cancelled.
#[tauri::command(async)]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn save_reconciliation_pdf(
    app: AppHandle,
    state: State<'_, AppState>,
    request: tauri::ipc::Request<'_>,
) -> Result<Option<String>, CoreError> {
    let r = reconcile(&state, &request)?;
    // The name travels as a JSON string (ASCII only, as headers must be).
    let bill = request
        .headers()
        .get("x-vardesk-file-name")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| serde_json::from_str::<String>(v).ok())
        .unwrap_or_else(|| "The bill".to_string());
    let settings = state.with(|store| store.require_settings())?;
    let bytes = vardesk_pdf::reconciliation::reconciliation_pdf(&settings, &r, &bill, today());
    super::save_pdf(
        &app,
        "Save reconciliation as PDF",
        &format!("reconciliation-{}.pdf", r.period),
        &bytes,
    )
}

/// The sample books' price list (Partner Center's columns), to try the import on.
#[tauri::command(async)]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn sample_price_list(state: State<'_, AppState>) -> Result<tauri::ipc::Response, CoreError> {
    let bytes = state.with(|store| store.sample_price_list(today()))?;
    Ok(tauri::ipc::Response::new(bytes))
}
