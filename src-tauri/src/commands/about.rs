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
}

#[tauri::command(async)]
#[specta::specta]
pub fn about(state: State<'_, AppState>) -> Result<AboutInfo, CoreError> {
    let (data_file, backup_folder) = locations(&state)?;
    Ok(AboutInfo {
        version: env!("CARGO_PKG_VERSION"),
        tauri: tauri::VERSION,
        sqlite: vardesk_store::sqlite_version(),
        platform: format!("{} {}", std::env::consts::OS, std::env::consts::ARCH),
        data_file: data_file.display().to_string(),
        backup_folder: backup_folder.display().to_string(),
    })
}

/// The licences as JSON text: fonts, Rust crates and npm packages with their texts.
#[tauri::command(async)]
#[specta::specta]
pub fn third_party_licences() -> &'static str {
    THIRD_PARTY
}

/// Shows the data file or the backup folder in the system's file manager. The page names
/// which one; it cannot pass a path.
#[tauri::command(async)]
#[specta::specta]
pub fn show_in_folder(
    app: AppHandle,
    state: State<'_, AppState>,
    what: String,
) -> Result<(), CoreError> {
    let (data_file, backup_folder) = locations(&state)?;
    let path = match what.as_str() {
        "data" => data_file,
        "backups" => {
            std::fs::create_dir_all(&backup_folder).map_err(|e| {
                CoreError::validation(
                    "folder",
                    format!("{} cannot be created: {e}.", backup_folder.display()),
                )
            })?;
            backup_folder
        }
        _ => {
            return Err(CoreError::validation(
                "what",
                "Show the data or the backups.",
            ))
        }
    };
    app.opener().reveal_item_in_dir(&path).map_err(|e| {
        CoreError::validation(
            "folder",
            format!("The file manager could not show {}: {e}.", path.display()),
        )
    })
}

fn locations(state: &AppState) -> Result<(PathBuf, PathBuf), CoreError> {
    state.with(|store| {
        Ok((
            store.path().to_path_buf(),
            PathBuf::from(store.backup_settings()?.folder),
        ))
    })
}
