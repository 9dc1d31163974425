//! The projection screen: assumptions, the report, scenarios, CSV and PDF.

use serde::Serialize;
use tauri::{AppHandle, State};
use vardesk_core::annuity::{report_csv, AssumptionsForm, Report};
use vardesk_core::CoreError;
use vardesk_store::projection::Scenario;
use vardesk_store::today;

use crate::AppState;

/// What the screen opens with.
#[derive(Serialize, specta::Type)]
pub struct ProjectionSetup {
    assumptions: AssumptionsForm,
    currencies: Vec<String>,
    scenarios: Vec<Scenario>,
}

#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn projection_setup(state: State<'_, AppState>) -> Result<ProjectionSetup, CoreError> {
    state.with(|store| {
        Ok(ProjectionSetup {
            assumptions: store.default_assumptions(today())?,
            currencies: store.projection_currencies()?,
            scenarios: store.list_scenarios()?,
        })
    })
}

/// The projection under the assumptions (every wrong field named in the error).
#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn run_projection(
    state: State<'_, AppState>,
    assumptions: AssumptionsForm,
) -> Result<Report, CoreError> {
    let a = assumptions.validate()?;
    state.with(|store| store.projection(&a, today()))
}

/// Saves the assumptions as a named scenario; returns every scenario.
#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn save_scenario(
    state: State<'_, AppState>,
    name: String,
    assumptions: AssumptionsForm,
    make_default: bool,
) -> Result<Vec<Scenario>, CoreError> {
    state.with(|store| {
        store.save_scenario(&name, &assumptions, make_default)?;
        store.list_scenarios()
    })
}

#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn delete_scenario(state: State<'_, AppState>, id: i64) -> Result<Vec<Scenario>, CoreError> {
    state.with(|store| {
        store.delete_scenario(id)?;
        store.list_scenarios()
    })
}

#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn set_default_scenario(
    state: State<'_, AppState>,
    id: i64,
) -> Result<Vec<Scenario>, CoreError> {
    state.with(|store| {
        store.set_default_scenario(id)?;
        store.list_scenarios()
    })
}

fn file_stem(report: &Report) -> String {
    format!("projection-{}-{}-months", report.start, report.months)
}

/// Asks where to save the month-by-month table as CSV; `None` when cancelled.
#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn export_projection_csv(
    app: AppHandle,
    state: State<'_, AppState>,
    assumptions: AssumptionsForm,
) -> Result<Option<String>, CoreError> {
    let a = assumptions.validate()?;
    let report = state.with(|store| store.projection(&a, today()))?;
    let name = format!("{}.csv", file_stem(&report));
    super::save_file(
        &app,
        "Export projection as CSV",
        &name,
        ("CSV", "csv"),
        report_csv(&report).as_bytes(),
    )
}

fn projection_pdf_bytes(
    state: &AppState,
    assumptions: &AssumptionsForm,
    scenario: Option<&str>,
) -> Result<(String, Vec<u8>), CoreError> {
    let a = assumptions.validate()?;
    state.with(|store| {
        let report = store.projection(&a, today())?;
        let settings = store.require_settings()?;
        let bytes =
            vardesk_pdf::projection::projection_pdf(&settings, &report, &a, scenario, today());
        Ok((format!("{}.pdf", file_stem(&report)), bytes))
    })
}

#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn save_projection_pdf(
    app: AppHandle,
    state: State<'_, AppState>,
    assumptions: AssumptionsForm,
    scenario: Option<String>,
) -> Result<Option<String>, CoreError> {
    let (name, bytes) = projection_pdf_bytes(&state, &assumptions, scenario.as_deref())?;
    super::save_pdf(&app, "Save projection as PDF", &name, &bytes)
}

#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn open_projection_pdf(
    app: AppHandle,
    state: State<'_, AppState>,
    assumptions: AssumptionsForm,
    scenario: Option<String>,
) -> Result<String, CoreError> {
    let (name, bytes) = projection_pdf_bytes(&state, &assumptions, scenario.as_deref())?;
    super::open_pdf(&app, &name, &bytes)
}

#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn print_projection(
    state: State<'_, AppState>,
    assumptions: AssumptionsForm,
    scenario: Option<String>,
    printer: Option<String>,
    copies: Option<u32>,
) -> Result<String, CoreError> {
    let (name, bytes) = projection_pdf_bytes(&state, &assumptions, scenario.as_deref())?;
    super::print_pdf(&name, &bytes, printer, copies)
}
