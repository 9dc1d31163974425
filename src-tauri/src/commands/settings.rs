use serde::Serialize;
use tauri::State;
use vardesk_core::settings::{
    Settings, SettingsForm, FIRST_RUN_CURRENCY, FIRST_RUN_LOCALE, LOCALES,
};
use vardesk_core::{CoreError, Currency};

use crate::AppState;

#[derive(Serialize, specta::Type)]
pub struct AppStatus {
    /// No company profile yet: show the first-run screen.
    needs_profile: bool,
    /// The profile exists but the sample-data question is still open.
    offer_sample_data: bool,
    company_name: Option<String>,
    locale: String,
    default_currency: String,
    db_path: String,
    /// Why the data file's folder is a risk (a synced folder), when it is.
    data_warning: Option<String>,
    /// The window shows the sample books, not the partner's own.
    sample_books: bool,
    version: &'static str,
}

#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn app_status(state: State<'_, AppState>) -> Result<AppStatus, CoreError> {
    let state = &*state;
    let sample_books = state.in_sample_books();
    state.with(|store| {
        let found = store.settings_and_first_run()?;
        Ok(AppStatus {
            needs_profile: found.is_none(),
            offer_sample_data: found.as_ref().is_some_and(|(_, answered)| !answered),
            company_name: found.as_ref().map(|(s, _)| s.company_name.clone()),
            locale: found
                .as_ref()
                .map_or(FIRST_RUN_LOCALE.into(), |(s, _)| s.locale.clone()),
            default_currency: found.as_ref().map_or(FIRST_RUN_CURRENCY.into(), |(s, _)| {
                s.default_currency.code().into()
            }),
            db_path: store.path().display().to_string(),
            data_warning: state.data_warning.clone(),
            sample_books,
            version: env!("CARGO_PKG_VERSION"),
        })
    })
}

#[derive(Serialize, specta::Type)]
pub struct SettingsView {
    form: SettingsForm,
    currencies: Vec<&'static str>,
    locales: [&'static str; 10],
}

#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn get_settings(state: State<'_, AppState>) -> Result<SettingsView, CoreError> {
    let form = state.with(|store| {
        Ok(store
            .settings()?
            .map_or_else(SettingsForm::first_run, |s| SettingsForm::from_settings(&s)))
    })?;
    Ok(SettingsView {
        form,
        currencies: Currency::all_codes().collect(),
        locales: LOCALES,
    })
}

#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn save_settings(
    state: State<'_, AppState>,
    form: SettingsForm,
) -> Result<Settings, CoreError> {
    state.with(|store| store.save_settings(&form))
}

/// The first-run answer: explore the sample books (built beside the real ones, which stay
/// empty), or start with the real books. Returns how many sample customers there are.
#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn answer_sample_data(state: State<'_, AppState>, load: bool) -> Result<usize, CoreError> {
    state.with(|store| store.mark_sample_data_answered())?;
    if load {
        open_sample_books(state)
    } else {
        Ok(0)
    }
}

/// Opens the sample books, built afresh as of today (a German partner with 18 customers, a
/// catalog, quotes and a year of billing); the partner's own books are untouched.
#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn open_sample_books(state: State<'_, AppState>) -> Result<usize, CoreError> {
    state.switch_books(Some(|real: &std::path::Path| {
        vardesk_store::sample::create_sample_books(
            &vardesk_store::sample::sample_books_path(real),
            vardesk_store::today(),
        )
    }))?;
    state.with(|store| {
        store
            .list_customers(&Default::default())
            .map(|page| page.total as usize)
    })
}

/// Leaves the sample books for the partner's own.
#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn close_sample_books(state: State<'_, AppState>) -> Result<(), CoreError> {
    state
        .switch_books(None::<fn(&std::path::Path) -> Result<vardesk_store::Store, CoreError>>)
        .map(|_| ())
}

/// The company logo's bytes (empty when there is none).
#[tauri::command(async)]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn get_logo(state: State<'_, AppState>) -> Result<tauri::ipc::Response, CoreError> {
    let logo = state.with(|store| store.logo())?;
    Ok(tauri::ipc::Response::new(logo.unwrap_or_default()))
}

/// Stores the image sent as the raw body as the logo; an empty body removes it.
#[tauri::command(async)]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn set_logo(
    state: State<'_, AppState>,
    request: tauri::ipc::Request<'_>,
) -> Result<(), CoreError> {
    let bytes = super::body_bytes(&request)?;
    if bytes.is_empty() {
        return state.with(|store| store.set_logo(None));
    }
    vardesk_core::settings::check_logo(&bytes)?;
    vardesk_core::settings::check_logo_pixels(vardesk_pdf::image_size(&bytes))?;
    state.with(|store| store.set_logo(Some(&bytes)))
}

/// The invoice and credit-note series: template, next number, continued or not.
#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn number_series(
    state: State<'_, AppState>,
) -> Result<Vec<vardesk_store::numbers::SeriesState>, CoreError> {
    let today = vardesk_store::today();
    state.with(|store| store.number_series(today))
}

/// Continues a series from the previous system (DOMAIN.md §11): `next` as typed.
#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn continue_series(
    state: State<'_, AppState>,
    sequence: String,
    next: String,
) -> Result<vardesk_store::numbers::SeriesState, CoreError> {
    let next: u64 = next.trim().parse().map_err(|_| {
        CoreError::validation(
            "next_number",
            format!("\"{}\" is not a whole number.", next.trim()),
        )
    })?;
    let today = vardesk_store::today();
    state.with(|store| store.continue_series(&sequence, next, today))
}
