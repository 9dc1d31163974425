//! What happened, for support: one log file a day in the data folder's `logs`, the last
//! `KEEP_DAYS` kept. Commands are logged by name with how long they took and the error they
//! ended in; their arguments, amounts and names never at info level.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use tracing_appender::rolling::{Builder, Rotation};
use tracing_subscriber::filter::LevelFilter;
use tracing_subscriber::fmt::format::FmtSpan;

/// Daily files kept; older ones are removed when a new day's file starts.
pub const KEEP_DAYS: usize = 14;
const PREFIX: &str = "vardesk";
const SUFFIX: &str = "log";

/// The log folder of the books at `db`.
pub fn folder(db: &Path) -> PathBuf {
    db.parent().unwrap_or(Path::new(".")).join("logs")
}

/// Starts writing the log of the books at `db`, once per process. `VARDESK_LOG` sets the
/// level (`error`, `warn`, `info` by default, `debug`, `trace`, or `off`). With `create`
/// false nothing is written while the data folder does not exist yet (a command line that
/// touches no books leaves no folder behind). A log that cannot be written is no reason to
/// stop: VarDesk then runs without one.
pub fn start(db: &Path, program: &'static str, create: bool) {
    static STARTED: OnceLock<()> = OnceLock::new();
    STARTED.get_or_init(|| {
        let level = std::env::var("VARDESK_LOG")
            .ok()
            .and_then(|l| l.parse::<LevelFilter>().ok())
            .unwrap_or(LevelFilter::INFO);
        let data = db.parent().unwrap_or(Path::new("."));
        if level == LevelFilter::OFF || (!create && !data.is_dir()) {
            return;
        }
        if std::fs::create_dir_all(folder(db)).is_err() {
            return;
        }
        let Ok(appender) = Builder::new()
            .rotation(Rotation::DAILY)
            .filename_prefix(PREFIX)
            .filename_suffix(SUFFIX)
            .max_log_files(KEEP_DAYS)
            .build(folder(db))
        else {
            return;
        };
        let subscriber = tracing_subscriber::fmt()
            .with_writer(appender)
            .with_ansi(false)
            .with_target(false)
            .with_max_level(level)
            .with_span_events(FmtSpan::CLOSE)
            .finish();
        if tracing::subscriber::set_global_default(subscriber).is_ok() {
            tracing::info!(
                program,
                version = env!("CARGO_PKG_VERSION"),
                os = std::env::consts::OS,
                "started"
            );
        }
    });
}

/// The last `max_lines` lines of the newest log files, oldest first (for a support report).
pub fn recent(db: &Path, max_lines: usize) -> Vec<String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder(db))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(PREFIX) && n.ends_with(SUFFIX))
        })
        .collect();
    // `vardesk.2026-11-28.log`: the names sort by day.
    files.sort();
    let mut lines: Vec<String> = Vec::new();
    for file in files.iter().rev() {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        let mut these: Vec<String> = text.lines().map(str::to_string).collect();
        these.append(&mut lines);
        lines = these;
        if lines.len() >= max_lines {
            break;
        }
    }
    let skip = lines.len().saturating_sub(max_lines);
    lines.split_off(skip)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_recent_lines_come_from_the_newest_files_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("vardesk.sqlite3");
        let logs = folder(&db);
        std::fs::create_dir_all(&logs).unwrap();
        std::fs::write(logs.join("vardesk.2026-11-26.log"), "a\nb\n").unwrap();
        std::fs::write(logs.join("vardesk.2026-11-27.log"), "c\nd\n").unwrap();
        std::fs::write(logs.join("notes.txt"), "not a log\n").unwrap();
        assert_eq!(recent(&db, 3), ["b", "c", "d"]);
        assert_eq!(recent(&db, 10), ["a", "b", "c", "d"]);
        assert!(recent(&dir.path().join("none/v.sqlite3"), 5).is_empty());
    }
}
