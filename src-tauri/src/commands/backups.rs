//! Backups in Settings: status, "Back up now", folder and how many to keep, restore.

use std::path::{Path, PathBuf};

use serde::Serialize;
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;
use vardesk_core::CoreError;
use vardesk_store::backup::{
    back_up, check_backup, list_backups, BackupCheck, BackupFile, BackupKind, BackupSettings,
    LostDocument, RestoreOutcome,
};

use crate::AppState;

#[derive(Serialize, specta::Type)]
pub struct BackupStatus {
    settings: BackupSettings,
    backups: Vec<BackupFile>,
    db_path: String,
    /// Why today's automatic backup failed, if it did.
    problem: Option<String>,
}

fn status(state: &AppState) -> Result<BackupStatus, CoreError> {
    let (settings, db_path) =
        state.with(|store| Ok((store.backup_settings()?, store.path().display().to_string())))?;
    Ok(BackupStatus {
        backups: list_backups(Path::new(&settings.folder))?,
        settings,
        db_path,
        problem: state
            .backup_problem
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone(),
    })
}

#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn backup_status(state: State<'_, AppState>) -> Result<BackupStatus, CoreError> {
    status(&state)
}

/// A backup now. The copy runs on its own connection, outside the store's lock, so other
/// commands answer while it runs.
#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn back_up_now(state: State<'_, AppState>) -> Result<BackupStatus, CoreError> {
    state.real_books_only("back them up")?;
    let (db, settings) =
        state.with(|store| Ok((store.path().to_path_buf(), store.backup_settings()?)))?;
    back_up(
        &db,
        Path::new(&settings.folder),
        BackupKind::Manual,
        settings.keep,
    )?;
    *state
        .backup_problem
        .lock()
        .unwrap_or_else(|p| p.into_inner()) = None;
    status(&state)
}

#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn save_backup_settings(
    state: State<'_, AppState>,
    folder: Option<String>,
    keep: u32,
) -> Result<BackupStatus, CoreError> {
    state.real_books_only("change where they are backed up")?;
    state.with(|store| {
        store
            .save_backup_settings(folder.as_deref(), keep)
            .map(|_| ())
    })?;
    status(&state)
}

/// Asks for a folder; `None` when cancelled.
#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn choose_backup_folder(app: AppHandle) -> Result<Option<String>, CoreError> {
    let Some(folder) = app
        .dialog()
        .file()
        .set_title("Choose the backup folder")
        .blocking_pick_folder()
    else {
        return Ok(None);
    };
    let path = folder
        .into_path()
        .map_err(|_| CoreError::validation("folder", "That folder cannot be used."))?;
    Ok(Some(path.display().to_string()))
}

#[derive(Serialize, specta::Type)]
pub struct CheckedFile {
    path: String,
    check: BackupCheck,
    /// The issued documents restoring it would remove (DOMAIN.md §6.1), for the confirmation.
    lost: Vec<LostDocument>,
}

/// Checks a backup before the user confirms a restore, and lists what it would remove.
#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn check_backup_file(
    state: State<'_, AppState>,
    path: String,
) -> Result<CheckedFile, CoreError> {
    let check = check_backup(Path::new(&path))?;
    let lost = state.with(|store| store.restore_losses(Path::new(&path)))?;
    Ok(CheckedFile { path, check, lost })
}

/// Asks for a backup file and checks it; `None` when cancelled.
#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn pick_backup_file(
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<Option<CheckedFile>, CoreError> {
    let Some(file) = app
        .dialog()
        .file()
        .set_title("Restore from a backup")
        .add_filter("VarDesk backup", &["vardesk", "sqlite3", "db"])
        .blocking_pick_file()
    else {
        return Ok(None);
    };
    let path: PathBuf = file
        .into_path()
        .map_err(|_| CoreError::validation("file", "That file cannot be read."))?;
    check_backup_file(state, path.display().to_string()).map(Some)
}

/// Replaces the data with the backup (checked again, the current data backed up first).
#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn restore_backup(
    state: State<'_, AppState>,
    path: String,
) -> Result<RestoreOutcome, CoreError> {
    state.real_books_only("restore a backup")?;
    state.with(|store| store.restore_from(Path::new(&path)))
}

/// Asks where to save, then writes everything as one ZIP (CSV tables and every issued
/// document as PDF); `None` when cancelled.
#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn export_everything(
    app: AppHandle,
    state: State<'_, AppState>,
) -> Result<Option<(String, vardesk_documents::export::ExportSummary)>, CoreError> {
    let today = vardesk_store::today();
    let name = format!("vardesk-export-{today}.zip");
    let Some(path) =
        super::ask_save_path(&app, "Export everything", &name, ("ZIP archive", "zip"))?
    else {
        return Ok(None);
    };
    // Written beside its name first: a failed export leaves no half-written archive.
    let partial = path.with_extension("zip.partial");
    let file = std::fs::File::create(&partial).map_err(|e| {
        CoreError::validation(
            "file",
            format!("{} cannot be written: {e}.", path.display()),
        )
    })?;
    let summary = state.with(|store| {
        vardesk_documents::export::export_everything(
            store,
            today,
            std::io::BufWriter::new(file),
            |_, _| {},
        )
    });
    let summary = summary.inspect_err(|_| {
        let _ = std::fs::remove_file(&partial);
    })?;
    std::fs::rename(&partial, &path).map_err(|e| {
        CoreError::validation(
            "file",
            format!("{} cannot be written: {e}.", path.display()),
        )
    })?;
    Ok(Some((path.display().to_string(), summary)))
}
