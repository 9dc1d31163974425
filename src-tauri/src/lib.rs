//! The VarDesk desktop shell: opens the database, registers the commands, shows the window.
//! It knows no rule of its own: commands are thin adapters over core and store.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use vardesk_core::CoreError;
use vardesk_store::Store;

mod commands;
pub mod ipc;

/// The one database handle, shared by all commands.
pub struct AppState {
    store: Mutex<Store>,
    /// Held while the app runs: a second VarDesk on the same data is refused.
    _lock: Option<vardesk_store::lock::DataLock>,
    /// Said on every start while the data sits in a synced folder.
    data_warning: Option<String>,
    /// Why today's automatic backup failed, if it did (shown with the backups).
    backup_problem: Arc<Mutex<Option<String>>>,
    /// Why the data could not be opened at start; the window then shows only this, and
    /// the store is an empty one in memory.
    startup_problem: Mutex<Option<commands::startup::StartupProblem>>,
    /// A backup file the app was opened with (a double-click on a `.vardesk` file), until
    /// the window takes it and offers the restore.
    opened_backup: Mutex<Option<PathBuf>>,
    /// The real books while the sample books are open (`store` then holds the sample).
    parked_books: Mutex<Option<Store>>,
}

impl AppState {
    /// Whether the window shows the sample books rather than the partner's own.
    pub fn in_sample_books(&self) -> bool {
        self.parked_books
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .is_some()
    }

    /// Opens freshly built sample books in place of the real ones (kept aside), or, with
    /// `None`, goes back to the real books. Returns whether the sample books are open.
    pub fn switch_books(
        &self,
        build: Option<impl FnOnce(&std::path::Path) -> Result<Store, CoreError>>,
    ) -> Result<bool, CoreError> {
        let mut store = self.store.lock().unwrap_or_else(|p| p.into_inner());
        let mut parked = self.parked_books.lock().unwrap_or_else(|p| p.into_inner());
        match (build, parked.take()) {
            (Some(build), None) => {
                let sample = build(store.path())?;
                *parked = Some(std::mem::replace(&mut *store, sample));
                Ok(true)
            }
            // Already in the sample books: build them afresh in place.
            (Some(build), Some(real)) => {
                let path = real.path().to_path_buf();
                *parked = Some(real);
                *store = Store::in_memory()?;
                *store = build(&path)?;
                Ok(true)
            }
            (None, Some(real)) => {
                *store = real;
                Ok(false)
            }
            (None, None) => Ok(false),
        }
    }

    /// Refuses what only makes sense for the real books (backups, restores).
    pub fn real_books_only(&self, what: &str) -> Result<(), CoreError> {
        if self.in_sample_books() {
            return Err(CoreError::new(
                vardesk_core::ErrorCode::Conflict,
                format!("These are the sample books: go back to your own books to {what}."),
            ));
        }
        Ok(())
    }

    /// Runs `f` with the store.
    pub fn with<T>(
        &self,
        f: impl FnOnce(&mut Store) -> Result<T, CoreError>,
    ) -> Result<T, CoreError> {
        // A bug that panics becomes a sentence, not a dead app: every write is a
        // transaction, so the store is as it was before the call.
        let mut store = self
            .store
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&mut store))).unwrap_or_else(
            |_| {
                Err(CoreError::new(
                    vardesk_core::ErrorCode::Internal,
                    "VarDesk hit an unexpected error and changed nothing. Please try again.",
                ))
            },
        )
    }
}

/// The `.vardesk` file among the arguments: Windows and Linux open a file with the app by
/// passing its path.
fn backup_in_arguments() -> Option<PathBuf> {
    std::env::args_os()
        .skip(1)
        .map(PathBuf::from)
        .find(|p| commands::startup::is_backup_file(p))
}

/// The data file, checked (not on a network share), locked (one VarDesk at a time) and
/// opened; with the warning to show when it sits in a synced folder.
fn open_store() -> Result<(Store, vardesk_store::lock::DataLock, Option<String>), CoreError> {
    let path = vardesk_store::default_db_path()?;
    let warning = vardesk_store::location::check_data_location(&path)?;
    let lock = vardesk_store::lock::lock_data(&path)?;
    Ok((Store::open_or_create(&path)?, lock, warning))
}

/// The start-up that needs no window: the log, the data file checked, locked and opened,
/// today's backup begun. It runs before the webview exists, so it happens even where no
/// webview can start (tested so under Wine, which has no WebView2).
fn start_books() -> Result<AppState, CoreError> {
    // What happened, for support: a daily file in the data folder's `logs`.
    if let Ok(db) = vardesk_store::default_db_path() {
        vardesk_store::logs::start(&db, "app", true);
    }
    let state = match open_store() {
        Ok((store, lock, data_warning)) => {
            let backup_problem = Arc::new(Mutex::new(None));
            let daily = store
                .backup_settings()
                .map(|s| (store.path().to_path_buf(), s));
            // Today's automatic backup, on its own connection: the window opens meanwhile
            // and stays responsive.
            let problem = Arc::clone(&backup_problem);
            std::thread::spawn(move || {
                let made = daily.and_then(|(db, s)| {
                    vardesk_store::backup::daily_backup(
                        &db,
                        std::path::Path::new(&s.folder),
                        s.keep,
                        vardesk_store::today(),
                    )
                });
                if let Err(e) = made {
                    *problem.lock().unwrap_or_else(|p| p.into_inner()) = Some(e.message);
                }
            });
            AppState {
                store: Mutex::new(store),
                _lock: Some(lock),
                data_warning,
                backup_problem,
                startup_problem: Mutex::new(None),
                opened_backup: Mutex::new(backup_in_arguments()),
                parked_books: Mutex::new(None),
            }
        }
        Err(e) => {
            // The window opens anyway and says what is wrong (a damaged file with the latest
            // good backup to restore, another VarDesk on the same data, a network share);
            // nothing on disk is touched unless the user says so.
            let problem = commands::startup::StartupProblem::from_error(e);
            let lock = problem.offers_restore().then(|| {
                vardesk_store::default_db_path()
                    .and_then(|db| vardesk_store::lock::lock_data(&db))
                    .ok()
            });
            AppState {
                store: Mutex::new(Store::in_memory()?),
                _lock: lock.flatten(),
                data_warning: None,
                backup_problem: Arc::new(Mutex::new(None)),
                startup_problem: Mutex::new(Some(problem)),
                opened_backup: Mutex::new(backup_in_arguments()),
                parked_books: Mutex::new(None),
            }
        }
    };
    Ok(state)
}

/// When `run` began: the start-up time the log records.
static STARTED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

pub fn run() {
    STARTED.get_or_init(std::time::Instant::now);
    // On Linux WebKit draws the pages of this app without accelerated compositing: with it,
    // the web process held 195 MiB instead of 106 MiB idle and the first screen came about
    // 200 ms later (measured under Xvfb, where it is Mesa's software GL). A user who wants
    // it back sets WEBKIT_DISABLE_COMPOSITING_MODE=0. Set before any thread starts.
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none() {
        std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
    }
    let state = start_books().unwrap_or_else(|e| {
        eprintln!("VarDesk could not start: {}", e.message);
        std::process::exit(1);
    });
    tauri::Builder::default()
        .manage(state)
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .on_page_load(|_, payload| {
            // The start-up benchmark compares the page's load with a bare Tauri window's.
            if payload.event() == tauri::webview::PageLoadEvent::Finished {
                if let Some(launched) = commands::startup::probe_launch_ms() {
                    println!(
                        "page loaded: {:.1} ms",
                        commands::startup::unix_ms() - launched
                    );
                }
            }
        })
        .invoke_handler(ipc::invoke_handler())
        .build(tauri::generate_context!())
        .unwrap_or_else(|e| {
            eprintln!("VarDesk could not start: {e}");
            std::process::exit(1);
        })
        .run(|_app, _event| {
            // macOS hands a double-clicked file to the running app as an event.
            #[cfg(target_os = "macos")]
            if let tauri::RunEvent::Opened { urls } = _event {
                use tauri::{Emitter, Manager};
                let file = urls
                    .iter()
                    .filter_map(|u| u.to_file_path().ok())
                    .find(|p| commands::startup::is_backup_file(p));
                if let (Some(file), Some(state)) = (file, _app.try_state::<AppState>()) {
                    *state
                        .opened_backup
                        .lock()
                        .unwrap_or_else(|p| p.into_inner()) = Some(file);
                    let _ = _app.emit("backup-opened", ());
                }
            }
        });
}
