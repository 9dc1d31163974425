//! Backups and restore. A backup is a consistent copy made with SQLite's online backup API
//! over a connection of its own (so the app keeps answering while it runs), written beside
//! its final name, verified (integrity, schema version) and only then renamed into place.
//! Restore checks the file first, backs up the current data, then swaps the file in.

use std::path::{Path, PathBuf};

use chrono::{Local, NaiveDate};
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use serde::Serialize;
use vardesk_core::{CoreError, ErrorCode};

use crate::{
    all_rows, expected_schema, harden, internal, schema_of, schema_version, DbResult, Result,
    Schema, Store,
};

/// Backups are `vardesk-YYYY-MM-DD-HHMMSSmmm-<kind>.vardesk`: the name sorts by time.
const PREFIX: &str = "vardesk-";
const EXTENSION: &str = "vardesk";

/// Why a backup was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackupKind {
    /// Once a day, when the app starts.
    Daily,
    /// "Back up now" or `vardesk backup`.
    Manual,
    /// Before a newer VarDesk upgrades the schema.
    BeforeUpgrade,
    /// Before a restore replaces the data.
    BeforeRestore,
}

impl BackupKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BackupKind::Daily => "daily",
            BackupKind::Manual => "manual",
            BackupKind::BeforeUpgrade => "before-upgrade",
            BackupKind::BeforeRestore => "before-restore",
        }
    }
}

/// A backup file in the backup folder.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct BackupFile {
    pub path: String,
    pub name: String,
    /// "2026-11-23 17:45:00", from the name.
    pub created: String,
    pub kind: String,
    pub bytes: u64,
}

/// What a backup file holds, after it was checked.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct BackupCheck {
    pub schema_version: usize,
    pub company: String,
    pub customers: i64,
    pub invoices: i64,
}

/// Where backups go and how many are kept.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct BackupSettings {
    /// The folder in use (the default one when none was chosen).
    pub folder: String,
    /// True when the user chose the folder.
    pub custom_folder: bool,
    pub keep: u32,
}

fn io(what: &str, path: &Path, e: std::io::Error) -> CoreError {
    let full = matches!(e.raw_os_error(), Some(28)) || e.kind() == std::io::ErrorKind::StorageFull;
    if full {
        return internal(format!(
            "The disk is full: {what} {} could not be written. Free some space and try again.",
            path.display()
        ));
    }
    internal(format!("{what} {}: {e}.", path.display()))
}

/// The default backup folder: `backups` beside the database file.
pub fn default_folder(db: &Path) -> PathBuf {
    db.parent()
        .unwrap_or_else(|| Path::new("."))
        .join("backups")
}

/// Checks a file before anything trusts it: a SQLite database, intact, written by VarDesk,
/// and not by a newer VarDesk than this one.
pub fn check_backup(path: &Path) -> Result<BackupCheck> {
    let name = path.display();
    let refused = |why: String| CoreError::new(ErrorCode::Validation, why);
    if !path.is_file() {
        return Err(refused(format!("{name} is not a file.")));
    }
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| refused(format!("{name} cannot be opened: {e}.")))?;
    harden(&conn)?;
    let not_vardesk = || {
        refused(format!(
            "{name} is not a VarDesk backup (or it is damaged)."
        ))
    };
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|_| not_vardesk())?;
    if integrity != "ok" {
        return Err(refused(format!(
            "{name} is damaged (SQLite's integrity check says: {integrity})."
        )));
    }
    let version: usize = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(|_| not_vardesk())?;
    let has = |table: &str| -> bool {
        conn.query_row(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1",
            [table],
            |_| Ok(()),
        )
        .optional()
        .ok()
        .flatten()
        .is_some()
    };
    if version == 0 || !has("settings") || !has("customers") {
        return Err(not_vardesk());
    }
    if version > schema_version() {
        return Err(CoreError::new(
            ErrorCode::DbTooNew,
            format!(
                "{name} was written by a newer VarDesk (schema version {version}); this VarDesk \
                 understands up to version {}. Update VarDesk to restore it.",
                schema_version()
            ),
        ));
    }
    // Nothing the file carries is trusted: its tables, indexes, triggers and views must be
    // exactly what VarDesk's own migrations make for its version (an extra trigger would run
    // on every write after the restore).
    let found = schema_of(&conn).map_err(|_| not_vardesk())?;
    let expected = expected_schema(version)?;
    if found != expected {
        let describe = |set: &Schema, other: &Schema| -> Vec<String> {
            set.difference(other)
                .map(|(kind, name, _)| format!("{kind} {name}"))
                .collect()
        };
        let extra = describe(&found, &expected);
        let missing = describe(&expected, &found);
        let mut why = Vec::new();
        if !extra.is_empty() {
            why.push(format!(
                "it holds what VarDesk does not make ({})",
                extra.join(", ")
            ));
        }
        if !missing.is_empty() {
            why.push(format!("it lacks {}", missing.join(", ")));
        }
        return Err(refused(format!(
            "{name} is refused: {}. Only a file written by VarDesk can be restored.",
            why.join("; ")
        )));
    }
    let company: String = conn
        .query_row("SELECT company_name FROM settings WHERE id = 1", [], |r| {
            r.get(0)
        })
        .optional()
        .map_err(|_| not_vardesk())?
        .unwrap_or_default();
    let count = |table: &str| -> Result<i64> {
        conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .map_err(|_| not_vardesk())
    };
    Ok(BackupCheck {
        schema_version: version,
        company,
        customers: count("customers")?,
        invoices: if has("invoices") {
            count("invoices")?
        } else {
            0
        },
    })
}

/// Copies the database at `db` into `folder` as a new backup, verifies it, and keeps the
/// newest `keep` backups there.
pub fn back_up(db: &Path, folder: &Path, kind: BackupKind, keep: u32) -> Result<BackupFile> {
    std::fs::create_dir_all(folder).map_err(|e| io("The backup folder", folder, e))?;
    let stamp = Local::now().format("%Y-%m-%d-%H%M%S%3f");
    let mut target = folder.join(format!("{PREFIX}{stamp}-{}.{EXTENSION}", kind.as_str()));
    // Two backups in one millisecond get distinct names.
    let mut n = 2;
    while target.exists() {
        target = folder.join(format!("{PREFIX}{stamp}-{}-{n}.{EXTENSION}", kind.as_str()));
        n += 1;
    }
    copy_verified(db, &target)?;
    rotate(folder, keep)?;
    describe(&target)?.ok_or_else(|| internal("The new backup's name cannot be read."))
}

/// A backup of `db` to a file the user named (`vardesk backup --out FILE`); an existing
/// file is not overwritten.
pub fn back_up_to(db: &Path, target: &Path) -> Result<BackupCheck> {
    if target.exists() {
        return Err(CoreError::validation(
            "out",
            format!(
                "{} already exists; choose a new file name.",
                target.display()
            ),
        ));
    }
    copy_verified(db, target)?;
    check_backup(target)
}

/// The online backup of `db` into `target`, through a `.partial` file that is checked and
/// then renamed, so a backup that exists under its name is complete.
fn copy_verified(db: &Path, target: &Path) -> Result<()> {
    let partial = target.with_extension("partial");
    let _ = std::fs::remove_file(&partial);
    let result = (|| {
        let source = Connection::open_with_flags(
            db,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .db()?;
        harden(&source)?;
        source
            .busy_timeout(std::time::Duration::from_secs(5))
            .db()?;
        let version: usize = source
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .db()?;
        {
            let mut dest = Connection::open(&partial).db()?;
            harden(&dest)?;
            let backup = rusqlite::backup::Backup::new(&source, &mut dest).db()?;
            // One step: a single read transaction, so the copy is consistent even while the
            // app writes (WAL lets it go on writing meanwhile).
            match backup.step(-1).db()? {
                rusqlite::backup::StepResult::Done => {}
                _ => {
                    return Err(internal(
                        "The database was busy; the backup did not finish.",
                    ))
                }
            }
            drop(backup);
            // A backup is one self-contained file: no -wal or -shm beside it (a read-only
            // check of a WAL file would leave them behind, and a rename would orphan them).
            dest.pragma_update_and_check(None, "journal_mode", "DELETE", |_| Ok(()))
                .db()?;
        }
        let check = check_backup(&partial)?;
        if check.schema_version != version {
            return Err(internal(format!(
                "The backup has schema version {} instead of {version}.",
                check.schema_version
            )));
        }
        std::fs::rename(&partial, target).map_err(|e| io("The backup", target, e))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    result
}

/// Deletes all but the newest `keep` backups in `folder`, and `.partial` files a killed
/// backup left there (older than ten minutes, so a backup still running keeps its own).
fn rotate(folder: &Path, keep: u32) -> Result<()> {
    let stale = std::time::Duration::from_secs(600);
    for entry in std::fs::read_dir(folder).into_iter().flatten().flatten() {
        let path = entry.path();
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > stale);
        // And the -wal and -shm files earlier builds left beside their backups.
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let orphan = [
            ".partial-wal",
            ".partial-shm",
            ".vardesk-wal",
            ".vardesk-shm",
        ]
        .iter()
        .any(|suffix| name.ends_with(suffix));
        if old && (orphan || path.extension().is_some_and(|e| e == "partial")) {
            let _ = std::fs::remove_file(&path);
        }
    }
    // Only real backups count and go: a name from the future or a file that is not a good
    // VarDesk backup is never counted among the kept ones, and never deleted.
    let tomorrow = (crate::today() + chrono::Days::new(1)).to_string();
    let mut kept = 0usize;
    for file in list_backups(folder)? {
        if file.created.as_str() > tomorrow.as_str() || check_backup(Path::new(&file.path)).is_err()
        {
            continue;
        }
        kept += 1;
        if kept > keep.max(1) as usize {
            std::fs::remove_file(&file.path)
                .map_err(|e| io("The old backup", Path::new(&file.path), e))?;
        }
    }
    Ok(())
}

/// `vardesk-2026-11-23-174500123-daily.vardesk` → ("2026-11-23 17:45:00", "daily"), parsed as
/// ASCII; any other name is not one of VarDesk's backups.
fn parse_backup_name(name: &str) -> Option<(String, String)> {
    let stem = name
        .strip_prefix(PREFIX)?
        .strip_suffix(&format!(".{EXTENSION}"))?;
    let bytes = stem.as_bytes();
    if !stem.is_ascii() || bytes.len() < 22 {
        return None;
    }
    let digits = |range: std::ops::Range<usize>| bytes[range].iter().all(u8::is_ascii_digit);
    let dashes = [4, 7, 10, 20].iter().all(|i| bytes[*i] == b'-');
    if !(dashes && digits(0..4) && digits(5..7) && digits(8..10) && digits(11..20)) {
        return None;
    }
    let date = &stem[..10];
    date.parse::<NaiveDate>().ok()?;
    // Two backups in one millisecond: the second is `…-daily-2`.
    let kind = stem[21..]
        .rsplit_once('-')
        .filter(|(_, n)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        .map_or(&stem[21..], |(kind, _)| kind);
    let known = [
        BackupKind::Daily,
        BackupKind::Manual,
        BackupKind::BeforeUpgrade,
        BackupKind::BeforeRestore,
    ];
    if !known.iter().any(|k| k.as_str() == kind) {
        return None;
    }
    let time = &stem[11..17];
    Some((
        format!("{date} {}:{}:{}", &time[..2], &time[2..4], &time[4..6]),
        kind.to_string(),
    ))
}

fn describe(path: &Path) -> Result<Option<BackupFile>> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let Some((created, kind)) = parse_backup_name(&name) else {
        return Ok(None);
    };
    let bytes = std::fs::metadata(path)
        .map_err(|e| io("The backup", path, e))?
        .len();
    Ok(Some(BackupFile {
        path: path.display().to_string(),
        name,
        created,
        kind,
        bytes,
    }))
}

/// The backups in `folder`, newest first (an absent folder has none).
pub fn list_backups(folder: &Path) -> Result<Vec<BackupFile>> {
    let entries = match std::fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io("The backup folder", folder, e)),
    };
    let mut out = Vec::new();
    for entry in entries.flatten() {
        if let Some(file) = describe(&entry.path())? {
            out.push(file);
        }
    }
    out.sort_by(|a, b| b.name.cmp(&a.name));
    Ok(out)
}

/// Makes today's automatic backup unless one from today is there already.
pub fn daily_backup(
    db: &Path,
    folder: &Path,
    keep: u32,
    today: NaiveDate,
) -> Result<Option<BackupFile>> {
    let prefix = format!("{PREFIX}{}", today.format("%Y-%m-%d"));
    if list_backups(folder)?
        .iter()
        .any(|b| b.name.starts_with(&prefix))
    {
        return Ok(None);
    }
    back_up(db, folder, BackupKind::Daily, keep).map(Some)
}

/// The newest backup in `folder` that passes its checks.
pub fn latest_good_backup(folder: &Path) -> Option<(BackupFile, BackupCheck)> {
    list_backups(folder)
        .ok()?
        .into_iter()
        .find_map(|b| check_backup(Path::new(&b.path)).ok().map(|c| (b, c)))
}

/// Puts a backup in place of a data file that cannot be opened: the damaged file (and its
/// journal) is kept beside it as `<name>.damaged-<time>`, never deleted. Returns that path.
pub fn restore_into(db: &Path, backup: &Path) -> Result<PathBuf> {
    check_backup(backup)?;
    let stamp = Local::now().format("%Y%m%d-%H%M%S");
    let kept = with_suffix(db, &format!(".damaged-{stamp}"));
    if db.exists() {
        std::fs::rename(db, &kept).map_err(|e| io("The damaged file", db, e))?;
    }
    for suffix in ["-wal", "-shm"] {
        let journal = with_suffix(db, suffix);
        if journal.exists() {
            let _ = std::fs::rename(&journal, with_suffix(&kept, suffix));
        }
    }
    copy_verified(backup, db)?;
    drop(Store::open_file(db, false)?);
    Ok(kept)
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct RestoreOutcome {
    pub restored: BackupCheck,
    /// The backup of the data that was replaced.
    pub safety_backup: BackupFile,
    /// The issued documents the restore removed (their numbers are never issued again).
    pub lost: Vec<LostDocument>,
}

/// An issued invoice or credit note the current data holds and a backup lacks.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct LostDocument {
    pub number: String,
    pub kind: String,
    pub customer: String,
    pub total: String,
    pub currency: String,
    #[serde(skip)]
    seq_year: i64,
    #[serde(skip)]
    seq_value: i64,
}

/// The issued documents in `current` whose numbers `other` does not hold.
fn documents_missing_from(current: &Connection, other: &Connection) -> Result<Vec<LostDocument>> {
    let kept: std::collections::HashSet<String> = all_rows::<(String,)>(
        other,
        "SELECT number FROM invoices WHERE number IS NOT NULL",
        [],
    )?
    .into_iter()
    .map(|(n,)| n)
    .collect();
    type Issued = (String, String, String, Option<i64>, String, i64, i64);
    let rows: Vec<Issued> = all_rows(
        current,
        "SELECT i.number, i.kind, c.name, i.total_minor, i.currency, coalesce(i.seq_year, 0),
            coalesce(i.seq_value, 0)
         FROM invoices i JOIN customers c ON c.id = i.customer_id
         WHERE i.number IS NOT NULL ORDER BY i.kind DESC, i.seq_year, i.seq_value",
        [],
    )?;
    let mut lost = Vec::new();
    for (number, kind, customer, total, currency, seq_year, seq_value) in rows {
        if kept.contains(&number) {
            continue;
        }
        let total = vardesk_core::Currency::parse(&currency)
            .map(|c| c.format_plain(c.from_minor(total.unwrap_or(0))))
            .unwrap_or_default();
        lost.push(LostDocument {
            number,
            kind,
            customer,
            total,
            currency,
            seq_year,
            seq_value,
        });
    }
    Ok(lost)
}

/// The settings a restored file brings pass the same checks as the Settings form (a crafted
/// file could carry a template, rate or logo the form would never accept).
fn trusted_settings(store: &Store) -> Result<()> {
    let refused = |what: String| {
        CoreError::validation(
            "file",
            format!("The backup is refused: its settings are not valid ({what})."),
        )
    };
    if let Some(settings) = store.settings()? {
        let form = vardesk_core::settings::SettingsForm::from_settings(&settings);
        if let Err(errors) = form.validate() {
            let first = errors
                .first()
                .map(|e| e.message.clone())
                .unwrap_or_default();
            return Err(refused(first.trim_end_matches('.').to_string()));
        }
    }
    if let Some(logo) = store.logo()? {
        vardesk_core::settings::check_logo(&logo)
            .map_err(|e| refused(format!("logo: {}", e.message.trim_end_matches('.'))))?;
    }
    Ok(())
}

/// Carries into the incoming file what a restore must never lose (DOMAIN.md §6.1): every
/// sequence keeps the higher of the two files' high-water marks, numbers issued only in the
/// current file are recorded as lost (with the before-restore backup's name), earlier lost
/// records come along, and the device-local backup settings stay this install's.
fn carry_over(
    current: &Connection,
    incoming: &mut Connection,
    lost: &[LostDocument],
    kept_in: &str,
) -> Result<()> {
    let sequences: Vec<(String, i64, i64)> = all_rows(
        current,
        "SELECT name, year, last_value FROM number_sequences",
        [],
    )?;
    type Lost = (String, i64, i64, String, String, String, String, String);
    let earlier: Vec<Lost> = all_rows(
        current,
        "SELECT sequence, year, value, number, customer, total, lost_on, kept_in
         FROM lost_numbers ORDER BY id",
        [],
    )?;
    type Jump = (String, i64, i64, i64, String, String);
    let jumps: Vec<Jump> = all_rows(
        current,
        "SELECT sequence, year, skipped_from, continued_at, number, created_at
         FROM sequence_jumps ORDER BY id",
        [],
    )?;
    let backup_settings: Option<(Option<String>, i64)> = current
        .query_row(
            "SELECT folder, keep FROM backup_settings WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()
        .db()?;
    let today = crate::today().to_string();
    let tx = incoming.transaction().db()?;
    for (name, year, last) in &sequences {
        tx.execute(
            "INSERT INTO number_sequences (name, year, last_value) VALUES (?1, ?2, ?3)
             ON CONFLICT (name, year) DO UPDATE SET last_value = max(last_value, excluded.last_value)",
            rusqlite::params![name, year, last],
        )
        .db()?;
    }
    for e in &earlier {
        tx.execute(
            "INSERT OR IGNORE INTO lost_numbers (sequence, year, value, number, customer, total,
                lost_on, kept_in) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            rusqlite::params![e.0, e.1, e.2, e.3, e.4, e.5, e.6, e.7],
        )
        .db()?;
    }
    // A continued series stays continued: its jump explains the numbers before it.
    for j in &jumps {
        tx.execute(
            "INSERT OR IGNORE INTO sequence_jumps (sequence, year, skipped_from, continued_at,
                number, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            rusqlite::params![j.0, j.1, j.2, j.3, j.4, j.5],
        )
        .db()?;
    }
    // Invoices imported from the previous system (no sequence value) keep their own
    // numbers outside VarDesk's series: nothing to hold back there.
    for d in lost.iter().filter(|d| d.seq_value > 0) {
        tx.execute(
            "INSERT OR IGNORE INTO lost_numbers (sequence, year, value, number, customer, total,
                lost_on, kept_in) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            rusqlite::params![
                d.kind,
                d.seq_year,
                d.seq_value.max(1),
                d.number,
                d.customer,
                format!("{} {}", d.total, d.currency),
                format!("lost in restore {today}"),
                kept_in
            ],
        )
        .db()?;
    }
    tx.execute("DELETE FROM backup_settings", []).db()?;
    if let Some((folder, keep)) = backup_settings {
        tx.execute(
            "INSERT INTO backup_settings (id, folder, keep) VALUES (1, ?1, ?2)",
            rusqlite::params![folder, keep],
        )
        .db()?;
    }
    tx.commit().db()
}

impl Store {
    pub fn backup_settings(&self) -> Result<BackupSettings> {
        let stored: Option<(Option<String>, u32)> = self
            .conn()
            .query_row(
                "SELECT folder, keep FROM backup_settings WHERE id = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .db()?;
        let (folder, keep) = stored.unwrap_or((None, 14));
        Ok(BackupSettings {
            custom_folder: folder.is_some(),
            folder: folder
                .map(PathBuf::from)
                .unwrap_or_else(|| default_folder(self.path()))
                .display()
                .to_string(),
            keep,
        })
    }

    /// `folder` None goes back to the default folder beside the data.
    pub fn save_backup_settings(
        &mut self,
        folder: Option<&str>,
        keep: u32,
    ) -> Result<BackupSettings> {
        if !(1..=365).contains(&keep) {
            return Err(CoreError::validation(
                "keep",
                "Keep between 1 and 365 backups.",
            ));
        }
        let folder = folder.map(str::trim).filter(|f| !f.is_empty());
        if let Some(f) = folder {
            let path = Path::new(f);
            if !path.is_absolute() {
                return Err(CoreError::validation(
                    "folder",
                    format!("\"{f}\" is not a full folder path."),
                ));
            }
            std::fs::create_dir_all(path).map_err(|e| {
                CoreError::validation("folder", format!("The folder {f} cannot be used: {e}."))
            })?;
        }
        self.write(|tx| {
            tx.execute(
                "INSERT INTO backup_settings (id, folder, keep) VALUES (1, ?1, ?2)
                 ON CONFLICT (id) DO UPDATE SET folder = excluded.folder, keep = excluded.keep",
                rusqlite::params![folder, keep],
            )
            .db()?;
            Ok(())
        })?;
        self.backup_settings()
    }

    /// A backup now, into the configured folder.
    pub fn back_up_now(&self, kind: BackupKind) -> Result<BackupFile> {
        let s = self.backup_settings()?;
        back_up(self.path(), Path::new(&s.folder), kind, s.keep)
    }

    /// Replaces the data with a backup: the file is checked first (a newer schema is
    /// refused, an older one is upgraded), the current data is backed up, then the file is
    /// swapped in whole. On any failure before the swap the data is as it was.
    pub fn restore_from(&mut self, backup: &Path) -> Result<RestoreOutcome> {
        let same = |a: &Path, b: &Path| matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y);
        if same(backup, self.path()) {
            return Err(CoreError::validation(
                "file",
                "That is the database VarDesk has open; choose a backup file.",
            ));
        }
        let restored = check_backup(backup)?;
        let safety_backup = self.back_up_now(BackupKind::BeforeRestore)?;
        let db = self.path().to_path_buf();
        let incoming = db.with_extension("restoring");
        let _ = std::fs::remove_file(&incoming);
        // A copy through the backup API (not a file copy): a backup that is itself in WAL
        // mode with a -wal file beside it still comes over whole.
        copy_verified(backup, &incoming)?;
        // Upgrade the copy to this VarDesk's schema before it replaces anything, then carry
        // the numbers and device settings over.
        let carried = (|| -> Result<Vec<LostDocument>> {
            trusted_settings(&Store::open_file(&incoming, false)?)?;
            let mut conn = Connection::open(&incoming).db()?;
            harden(&conn)?;
            let lost = documents_missing_from(&self.conn, &conn)?;
            carry_over(&self.conn, &mut conn, &lost, &safety_backup.name)?;
            conn.pragma_update(None, "wal_checkpoint", "TRUNCATE")
                .db()?;
            Ok(lost)
        })();
        let lost = carried.inspect_err(|_| {
            let _ = std::fs::remove_file(&incoming);
        })?;
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(with_suffix(&incoming, suffix));
        }
        // Close the current file: checkpoint its WAL into it, then let go of it.
        self.conn
            .pragma_update(None, "wal_checkpoint", "TRUNCATE")
            .db()?;
        self.conn = Connection::open_in_memory().db()?;
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(with_suffix(&db, suffix));
        }
        std::fs::rename(&incoming, &db).map_err(|e| io("The restored database", &db, e))?;
        *self = Store::open(&db)?;
        Ok(RestoreOutcome {
            restored,
            safety_backup,
            lost,
        })
    }

    /// What restoring `backup` would remove: the issued documents the current data holds and
    /// the backup lacks (shown before a restore is confirmed).
    pub fn restore_losses(&self, backup: &Path) -> Result<Vec<LostDocument>> {
        check_backup(backup)?;
        let other = Connection::open_with_flags(
            backup,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .db()?;
        harden(&other)?;
        documents_missing_from(&self.conn, &other)
    }
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{day, sample_store};

    #[test]
    fn a_backup_is_complete_verified_and_rotated() {
        let (dir, store) = sample_store();
        let folder = dir.path().join("b");
        let first = back_up(store.path(), &folder, BackupKind::Manual, 3).unwrap();
        assert!(first.name.ends_with("-manual.vardesk"), "{}", first.name);
        assert_eq!(first.kind, "manual");
        let check = check_backup(Path::new(&first.path)).unwrap();
        assert_eq!(check.schema_version, schema_version());
        assert_eq!(check.customers, 18);
        for _ in 0..4 {
            back_up(store.path(), &folder, BackupKind::Manual, 3).unwrap();
        }
        let all = list_backups(&folder).unwrap();
        assert_eq!(all.len(), 3, "only the newest 3 are kept");
        assert!(
            all.windows(2).all(|w| w[0].name > w[1].name),
            "newest first"
        );
        // Nothing else is left in the folder: no .partial, no -wal or -shm beside a backup.
        let names: Vec<String> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(names.iter().all(|n| n.ends_with(".vardesk")), "{names:?}");
        // A killed backup's leftover is cleaned up once it is old.
        let leftover = folder.join("vardesk-2020-01-01-000000000-manual.partial");
        std::fs::write(&leftover, b"half").unwrap();
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        std::fs::File::options()
            .write(true)
            .open(&leftover)
            .unwrap()
            .set_modified(old)
            .unwrap();
        back_up(store.path(), &folder, BackupKind::Manual, 3).unwrap();
        assert!(!leftover.exists(), "a stale .partial is removed");
        // Once a day: a second call on the same day makes nothing.
        let other = dir.path().join("daily");
        assert!(daily_backup(store.path(), &other, 5, crate::today())
            .unwrap()
            .is_some());
        assert!(daily_backup(store.path(), &other, 5, crate::today())
            .unwrap()
            .is_none());
    }

    #[test]
    fn what_is_not_a_good_backup_is_refused_with_a_sentence() {
        let (dir, store) = sample_store();
        let junk = dir.path().join("junk.vardesk");
        std::fs::write(&junk, b"this is not a database at all, just text").unwrap();
        let e = check_backup(&junk).unwrap_err();
        assert!(e.message.contains("not a VarDesk backup"), "{}", e.message);

        let other = dir.path().join("other.sqlite3");
        Connection::open(&other)
            .unwrap()
            .execute_batch("CREATE TABLE t (x); PRAGMA user_version = 3;")
            .unwrap();
        assert!(check_backup(&other)
            .unwrap_err()
            .message
            .contains("not a VarDesk backup"));

        let newer = back_up(store.path(), &dir.path().join("b"), BackupKind::Manual, 5).unwrap();
        Connection::open(&newer.path)
            .unwrap()
            .pragma_update(None, "user_version", schema_version() + 1)
            .unwrap();
        let e = check_backup(Path::new(&newer.path)).unwrap_err();
        assert_eq!(e.code, ErrorCode::DbTooNew);
        assert!(
            e.message
                .contains(&format!("schema version {}", schema_version() + 1))
                && e.message
                    .contains(&format!("up to version {}", schema_version())),
            "{}",
            e.message
        );

        // A damaged page: the integrity check catches it.
        let damaged = back_up(store.path(), &dir.path().join("b"), BackupKind::Manual, 5).unwrap();
        let mut bytes = std::fs::read(&damaged.path).unwrap();
        // Pages 2 to 5 overwritten: table b-trees no longer parse.
        for b in &mut bytes[4096..4096 * 5] {
            *b = 0xA5;
        }
        std::fs::write(&damaged.path, bytes).unwrap();
        assert!(check_backup(Path::new(&damaged.path)).is_err());
    }

    #[test]
    fn a_damaged_file_is_named_as_such_and_the_latest_good_backup_takes_its_place() {
        let (dir, store) = sample_store();
        let db = store.path().to_path_buf();
        let folder = default_folder(&db);
        back_up(&db, &folder, BackupKind::Daily, 5).unwrap();
        // A newer backup that is damaged: skipped in favour of the good one.
        let bad = back_up(&db, &folder, BackupKind::Manual, 5).unwrap();
        std::fs::write(&bad.path, b"garbage").unwrap();
        drop(store);
        // The data file's first page destroyed.
        let mut bytes = std::fs::read(&db).unwrap();
        for b in &mut bytes[..4096] {
            *b = 0x5A;
        }
        std::fs::write(&db, bytes).unwrap();
        let _ = std::fs::remove_file(with_suffix(&db, "-wal"));
        let e = Store::open(&db)
            .err()
            .expect("a damaged file does not open");
        assert_eq!(e.code, ErrorCode::DamagedData, "{}", e.message);

        let (good, check) = latest_good_backup(&folder).unwrap();
        assert_eq!(good.kind, "daily");
        assert_eq!(check.customers, 18);
        let kept = restore_into(&db, Path::new(&good.path)).unwrap();
        assert!(kept.exists(), "the damaged file is kept");
        let store = Store::open(&db).unwrap();
        assert!(store.check().unwrap().ok);
        let _ = dir;
    }

    #[test]
    fn restore_swaps_the_data_after_backing_up_the_current_one() {
        let (dir, mut store) = sample_store();
        store
            .save_backup_settings(Some(dir.path().join("bk").to_str().unwrap()), 10)
            .unwrap();
        let count = |s: &Store| -> i64 {
            s.conn()
                .query_row("SELECT count(*) FROM invoices", [], |r| r.get(0))
                .unwrap()
        };
        let at_backup = count(&store);
        let before = store.back_up_now(BackupKind::Manual).unwrap();
        // Change the data after the backup: a billing run.
        store.run_billing("2026-12").unwrap();
        let changed = count(&store);
        assert!(changed > at_backup);

        let outcome = store.restore_from(Path::new(&before.path)).unwrap();
        assert_eq!(outcome.restored.customers, 18);
        assert_eq!(count(&store), at_backup, "the data is the backup's again");
        assert!(store.check().unwrap().ok);
        // The replaced data is in the safety backup.
        let safety = check_backup(Path::new(&outcome.safety_backup.path)).unwrap();
        assert_eq!(safety.invoices, changed);
        assert_eq!(outcome.safety_backup.kind, "before-restore");
        // The store still writes after the swap.
        store.run_billing("2026-12").unwrap();
        assert_eq!(count(&store), changed);
        let _ = day("2026-11-23");
    }

    #[test]
    fn backup_names_are_parsed_as_ascii_and_strangers_are_never_rotated() {
        assert!(parse_backup_name("vardesk-2026-11-23-174500123-daily.vardesk").is_some());
        assert!(parse_backup_name("vardesk-2026-11-23-174500123-manual-2.vardesk").is_some());
        for name in [
            "vardesk-2026-11-23-1745é0123-daily.vardesk",
            "vardesk-2026-1é-23-174500123-daily.vardesk",
            "vardesk-2026-13-23-174500123-daily.vardesk",
            "vardesk-2026-11-23-174500123-evil.vardesk",
            "vardesk-ü.vardesk",
            "vardesk-.vardesk",
        ] {
            assert!(parse_backup_name(name).is_none(), "{name}");
        }
        let (dir, store) = sample_store();
        let folder = dir.path().join("bk");
        std::fs::create_dir_all(&folder).unwrap();
        // A stranger named like a newer backup, and one with a multi-byte name.
        let future = folder.join("vardesk-2099-01-01-000000000-daily.vardesk");
        std::fs::write(&future, b"not a backup").unwrap();
        let odd = folder.join("vardesk-2026-11-23-1745é0123-daily.vardesk");
        std::fs::write(&odd, b"x").unwrap();
        for _ in 0..3 {
            back_up(store.path(), &folder, BackupKind::Manual, 2).unwrap();
        }
        let listed = list_backups(&folder).unwrap();
        let real: Vec<_> = listed
            .iter()
            .filter(|b| !b.name.starts_with("vardesk-2099"))
            .collect();
        assert_eq!(
            real.len(),
            2,
            "the two newest real backups stay: {listed:?}"
        );
        assert!(
            future.exists() && odd.exists(),
            "strangers are never deleted"
        );
    }

    #[test]
    fn a_restore_never_makes_an_issued_number_available_again() {
        let (dir, mut store) = sample_store();
        store
            .save_backup_settings(Some(dir.path().join("bk").to_str().unwrap()), 10)
            .unwrap();
        let before = store.back_up_now(BackupKind::Manual).unwrap();
        let on = day("2026-12-01");
        let run = store.run_billing("2026-12").unwrap();
        let (issued, _) = store.issue_all_drafts(Some("2026-12"), on).unwrap();
        assert_eq!(issued.len(), run.created.len());
        let first_run: Vec<String> = issued.iter().filter_map(|r| r.number.clone()).collect();
        let credit = store.credit_invoice(issued[0].id, None, on).unwrap();

        let lost = store.restore_losses(Path::new(&before.path)).unwrap();
        assert_eq!(
            lost.len(),
            first_run.len() + 1,
            "every issued document is listed"
        );
        let outcome = store.restore_from(Path::new(&before.path)).unwrap();
        assert_eq!(outcome.lost, lost);
        store.run_billing("2026-12").unwrap();
        let (again, _) = store.issue_all_drafts(Some("2026-12"), on).unwrap();
        for row in &again {
            let number = row.number.clone().unwrap();
            assert!(!first_run.contains(&number), "{number} issued twice");
        }
        let note = store.credit_invoice(again[0].id, None, on).unwrap();
        assert_ne!(note.number, credit.number);
        let report = store.check().unwrap();
        assert!(report.ok, "{:?}", report.problems);
        assert_eq!(report.explained.len(), 2, "{:?}", report.explained);
        assert!(report.explained[1].contains(&outcome.safety_backup.name));

        // A second restore of the same backup carries the earlier losses over.
        let again_lost = store.restore_from(Path::new(&before.path)).unwrap().lost;
        assert_eq!(again_lost.len(), again.len() + 1);
        let report = store.check().unwrap();
        assert!(report.ok, "{:?}", report.problems);
        let recorded: i64 = store
            .conn()
            .query_row("SELECT count(*) FROM lost_numbers", [], |r| r.get(0))
            .unwrap();
        assert_eq!(recorded as usize, first_run.len() + again.len() + 2);
    }

    /// A series continued from the previous system after the backup was taken stays
    /// continued when the backup is restored: the jump comes along and `check` explains it.
    #[test]
    fn a_restore_keeps_a_continued_series() {
        let (dir, mut store) = crate::test_support::profiled_store();
        store
            .save_backup_settings(Some(dir.path().join("bk").to_str().unwrap()), 10)
            .unwrap();
        let before = store.back_up_now(BackupKind::Manual).unwrap();
        let today = day("2026-11-27");
        let series = store.continue_series("invoice", 418, today).unwrap();
        assert_eq!(series.next_number, "INV-2026-0418");
        store.restore_from(Path::new(&before.path)).unwrap();
        let after = store.number_series(today).unwrap();
        assert_eq!(after[0].next_number, "INV-2026-0418");
        assert_eq!(
            after[0].continued,
            ["continued from the previous system at 418"]
        );
        let report = store.check().unwrap();
        assert!(report.ok, "{:?}", report.problems);
        assert!(
            report.explained[0].contains("at 418"),
            "{:?}",
            report.explained
        );
    }

    #[test]
    fn a_crafted_backup_is_refused_and_device_settings_stay() {
        let (dir, mut store) = sample_store();
        let mine = dir.path().join("mine");
        store
            .save_backup_settings(Some(mine.to_str().unwrap()), 10)
            .unwrap();
        let good = store.back_up_now(BackupKind::Manual).unwrap();
        // The same file with an extra trigger, as someone could send it.
        let crafted = dir.path().join("crafted.vardesk");
        std::fs::copy(&good.path, &crafted).unwrap();
        let conn = Connection::open(&crafted).unwrap();
        conn.execute_batch(
            "CREATE TRIGGER rewrite_iban AFTER INSERT ON invoices BEGIN
                UPDATE settings SET company_name = 'x'; END;",
        )
        .unwrap();
        drop(conn);
        let err = store.restore_from(&crafted).unwrap_err();
        assert!(
            err.message.contains("trigger rewrite_iban"),
            "{}",
            err.message
        );
        // A backup whose own settings point elsewhere: its folder and keep are not taken.
        let other = dir.path().join("other.vardesk");
        std::fs::copy(&good.path, &other).unwrap();
        let conn = Connection::open(&other).unwrap();
        conn.execute(
            "UPDATE backup_settings SET folder = '/tmp/elsewhere', keep = 1",
            [],
        )
        .unwrap();
        drop(conn);
        store.restore_from(&other).unwrap();
        let settings = store.backup_settings().unwrap();
        // Settings the form would refuse, and a logo that is not an image, are refused.
        for sql in [
            "UPDATE settings SET invoice_number_template = 'INV’;calc #{SEQ}'",
            "UPDATE settings SET logo = x'3c7376673e'",
        ] {
            let bad = dir.path().join("bad.vardesk");
            std::fs::copy(&good.path, &bad).unwrap();
            let conn = Connection::open(&bad).unwrap();
            conn.execute(sql, []).unwrap();
            drop(conn);
            let err = store.restore_from(&bad).unwrap_err();
            assert!(
                err.message.contains("settings are not valid"),
                "{sql}: {}",
                err.message
            );
        }
        assert_eq!(
            (settings.folder.as_str(), settings.keep),
            (mine.to_str().unwrap(), 10)
        );
    }

    #[test]
    fn an_older_backup_is_upgraded_when_restored_and_a_bad_one_changes_nothing() {
        let (dir, mut store) = sample_store();
        // An old VarDesk's database: the foundation schema only.
        let old = dir.path().join("old.vardesk");
        {
            let mut conn = Connection::open(&old).unwrap();
            rusqlite_migration::Migrations::new(vec![rusqlite_migration::M::up(
                crate::MIGRATIONS[0],
            )])
            .to_latest(&mut conn)
            .unwrap();
            conn.execute_batch(
                "INSERT INTO settings (id, company_name, default_currency, locale,
                    default_tax_rate_e2, payment_terms_days, invoice_number_template,
                    credit_note_number_template, paper_size, churn_e2, estimator_coefficients,
                    updated_at)
                 VALUES (1, 'Old Co', 'EUR', 'en-GB', 1900, 14, 'INV-{YYYY}-{SEQ:4}',
                    'CN-{YYYY}-{SEQ:4}', 'A4', 100, '{}', '2024-01-01T00:00:00Z')",
            )
            .unwrap();
        }
        // Opening it with this VarDesk upgrades it, after a backup of it as it was.
        let opened = dir.path().join("opened").join("old.sqlite3");
        std::fs::create_dir_all(opened.parent().unwrap()).unwrap();
        std::fs::copy(&old, &opened).unwrap();
        drop(Store::open(&opened).unwrap());
        let saved = list_backups(&default_folder(&opened)).unwrap();
        assert_eq!(saved.len(), 1);
        assert_eq!(saved[0].kind, "before-upgrade");
        assert_eq!(
            check_backup(Path::new(&saved[0].path))
                .unwrap()
                .schema_version,
            1
        );

        let outcome = store.restore_from(&old).unwrap();
        assert_eq!(outcome.restored.schema_version, 1);
        assert_eq!(outcome.restored.company, "Old Co");
        let version: usize = store
            .conn()
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, schema_version(), "upgraded on the way in");

        // A junk file: refused before anything changes.
        let junk = dir.path().join("junk.vardesk");
        std::fs::write(&junk, vec![0u8; 8192]).unwrap();
        assert!(store.restore_from(&junk).is_err());
        let company: String = store
            .conn()
            .query_row("SELECT company_name FROM settings", [], |r| r.get(0))
            .unwrap();
        assert_eq!(company, "Old Co");
    }
}
