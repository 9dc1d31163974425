//! The About dialog: the version, where the data and its backups are (with "Show in
//! folder"), and the licences of the fonts and libraries VarDesk ships.

use std::path::PathBuf;

use serde::Serialize;
use tauri::{AppHandle, State};
use tauri_plugin_opener::OpenerExt;
use vardesk_core::CoreError;

use crate::AppState;

/// Gathered by scripts/licences.mjs (checked up to date by the test command).
const THIRD_PARTY: &str = include_str!("../../licences/third-party.json");

#[derive(Serialize, specta::Type)]
pub struct AboutInfo {
    version: &'static str,
    tauri: &'static str,
    sqlite: &'static str,
    platform: String,
    data_file: String,
    backup_folder: String,
    /// What happened, a file a day (for support).
    log_folder: String,
}

/// A place About shows in the file manager; the page names one, it cannot pass a path.
#[derive(serde::Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Place {
    /// The data file, selected in its folder.
    Data,
    Backups,
    Logs,
}

#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn about(state: State<'_, AppState>) -> Result<AboutInfo, CoreError> {
    let (data_file, backup_folder) = locations(&state)?;
    Ok(AboutInfo {
        version: env!("CARGO_PKG_VERSION"),
        tauri: tauri::VERSION,
        sqlite: vardesk_store::sqlite_version(),
        platform: format!("{} {}", std::env::consts::OS, std::env::consts::ARCH),
        data_file: data_file.display().to_string(),
        backup_folder: backup_folder.display().to_string(),
        log_folder: log_folder()?.display().to_string(),
    })
}

/// The licences as JSON text: fonts, Rust crates and npm packages with their texts.
#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all)]
pub fn third_party_licences() -> &'static str {
    THIRD_PARTY
}

/// Shows the data file in its folder, or opens the backup or log folder, in the system's
/// file manager.
#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn show_in_folder(
    app: AppHandle,
    state: State<'_, AppState>,
    what: Place,
) -> Result<(), CoreError> {
    let (data_file, backup_folder) = locations(&state)?;
    let folder = match what {
        Place::Data => {
            return app.opener().reveal_item_in_dir(&data_file).map_err(|e| {
                CoreError::validation(
                    "folder",
                    format!(
                        "The file manager could not show {}: {e}.",
                        data_file.display()
                    ),
                )
            })
        }
        Place::Backups => backup_folder,
        Place::Logs => log_folder()?,
    };
    std::fs::create_dir_all(&folder).map_err(|e| {
        CoreError::validation(
            "folder",
            format!("{} cannot be created: {e}.", folder.display()),
        )
    })?;
    app.opener()
        .open_path(folder.display().to_string(), None::<&str>)
        .map_err(|e| {
            CoreError::validation(
                "folder",
                format!("The file manager could not open {}: {e}.", folder.display()),
            )
        })
}

/// The app's log folder: beside its own books (the sample books log there too).
fn log_folder() -> Result<PathBuf, CoreError> {
    Ok(vardesk_store::logs::folder(
        &vardesk_store::default_db_path()?,
    ))
}

fn locations(state: &AppState) -> Result<(PathBuf, PathBuf), CoreError> {
    state.with(|store| {
        Ok((
            store.path().to_path_buf(),
            PathBuf::from(store.backup_settings()?.folder),
        ))
    })
}
