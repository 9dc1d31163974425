//! The start of the app and its end: why the data could not be opened and the backup that can
//! replace it, a backup file the app was opened with, and quitting.

use std::path::Path;

use serde::Serialize;
use tauri::{AppHandle, State};
use vardesk_core::{CoreError, ErrorCode};
use vardesk_store::backup::{BackupCheck, BackupFile};

use crate::AppState;

/// A `.vardesk` file: what VarDesk opens when one is double-clicked.
pub fn is_backup_file(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("vardesk"))
}

/// The backup file the app was opened with, once: the window offers to restore it.
#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all)]
pub fn take_opened_backup(state: State<'_, AppState>) -> Option<String> {
    state
        .opened_backup
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .take()
        .map(|p| p.display().to_string())
}

/// Why the data could not be opened at start, and the backup that can replace it.
#[derive(Serialize, Clone, specta::Type)]
pub struct StartupProblem {
    /// `already_open` or `damaged_data` (the window says each its own way), or another.
    code: ErrorCode,
    message: String,
    /// The latest good backup, offered when the file is damaged.
    backup: Option<BackupFile>,
    check: Option<BackupCheck>,
}

impl StartupProblem {
    pub fn from_error(e: CoreError) -> StartupProblem {
        let offer = (e.code == ErrorCode::DamagedData)
            .then(|| vardesk_store::default_db_path().ok())
            .flatten()
            .and_then(|db| {
                vardesk_store::backup::latest_good_backup(&vardesk_store::backup::default_folder(
                    &db,
                ))
            });
        let (backup, check) = offer.map_or((None, None), |(b, c)| (Some(b), Some(c)));
        StartupProblem {
            code: e.code,
            message: e.message,
            backup,
            check,
        }
    }

    pub fn offers_restore(&self) -> bool {
        self.backup.is_some()
    }
}

#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all)]
pub fn startup_problem(state: State<'_, AppState>) -> Option<StartupProblem> {
    state
        .startup_problem
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone()
}

/// Puts the offered backup in place of the damaged file (kept beside it) and opens it.
#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn recover_from_backup(state: State<'_, AppState>) -> Result<(), CoreError> {
    let mut problem = state
        .startup_problem
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    let Some(backup) = problem.as_ref().and_then(|p| p.backup.clone()) else {
        return Err(CoreError::validation(
            "backup",
            "There is no backup to restore.",
        ));
    };
    let db = vardesk_store::default_db_path()?;
    vardesk_store::backup::restore_into(&db, Path::new(&backup.path))?;
    let opened = vardesk_store::Store::open(&db)?;
    state.with(|store| {
        *store = opened;
        Ok(())
    })?;
    *problem = None;
    Ok(())
}

#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip_all)]
pub fn quit_app(app: AppHandle) {
    app.exit(0);
}

/// The window has painted its first screen with the books' figures: how long the start took
/// goes to the log. Under `VARDESK_STARTUP_PROBE` (the launch time, Unix milliseconds,
/// set by `scripts/bench-startup.sh`) it is printed from that moment and the app quits.
#[tauri::command]
#[specta::specta]
pub fn window_ready(app: AppHandle) {
    let since_start = crate::STARTED
        .get()
        .map(|t| t.elapsed().as_secs_f64() * 1000.0);
    tracing::info!(
        ms = since_start.map(|ms| ms.round()),
        "window ready with data"
    );
    if let Some(launched) = probe_launch_ms() {
        println!("window ready with data: {:.1} ms", unix_ms() - launched);
        app.exit(0);
    }
}

/// The launch time the start-up benchmark passed, when it did.
pub fn probe_launch_ms() -> Option<f64> {
    std::env::var("VARDESK_STARTUP_PROBE").ok()?.parse().ok()
}

/// Now, in Unix milliseconds.
pub fn unix_ms() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}
