//! VarDesk's SQLite store: one file, pragmas for safety, numbered migrations, one module
//! per aggregate, and every multi-step write in one transaction.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior};
use rusqlite_migration::{Migrations, M};
use rust_decimal::Decimal;
use vardesk_core::{CoreError, ErrorCode};

pub mod backup;
pub mod billing_run;
pub mod catalog;
pub mod check;
pub mod credits;
pub mod customers;
pub mod dashboard;
pub mod drafts;
pub mod einvoices;
pub mod imports;
pub mod invoices;
pub mod licences;
pub mod location;
pub mod lock;
pub mod logs;
pub mod mappings;
pub mod numbers;
pub mod overview;
pub mod payments;
pub mod price_list;
pub mod projection;
pub mod quotes;
pub mod reconcile;
pub mod reminders;
pub mod sample;
pub mod sends;
pub mod settings;
pub mod subscriptions;
mod taxes;

pub use vardesk_core::CoreError as StoreError;

pub type Result<T> = std::result::Result<T, CoreError>;

/// The schema, in order. Later issues append; a released migration never changes.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_foundation.sql"),
    include_str!("migrations/0002_quotes.sql"),
    include_str!("migrations/0003_logo.sql"),
    include_str!("migrations/0004_billing.sql"),
    include_str!("migrations/0005_invoice_company.sql"),
    include_str!("migrations/0006_credit_notes.sql"),
    include_str!("migrations/0007_tighter_triggers.sql"),
    include_str!("migrations/0008_partial_credits.sql"),
    include_str!("migrations/0009_annuity.sql"),
    include_str!("migrations/0010_backups.sql"),
    include_str!("migrations/0011_ledger_trust.sql"),
    include_str!("migrations/0012_company_parties.sql"),
    include_str!("migrations/0013_tax_treatment.sql"),
    include_str!("migrations/0014_one_stop_shop.sql"),
    include_str!("migrations/0015_sent.sql"),
    include_str!("migrations/0016_reminders.sql"),
    include_str!("migrations/0017_scheduled_drafts.sql"),
    include_str!("migrations/0018_quote_defaults.sql"),
    include_str!("migrations/0019_inventory_flags.sql"),
    include_str!("migrations/0020_deposit_deductions.sql"),
    include_str!("migrations/0021_hours_increment.sql"),
    include_str!("migrations/0022_catalog_prices.sql"),
    include_str!("migrations/0023_import_mappings.sql"),
    include_str!("migrations/0024_sequence_jumps.sql"),
    include_str!("migrations/0025_imported_invoices.sql"),
    include_str!("migrations/0026_moving_in.sql"),
    include_str!("migrations/0027_nce.sql"),
    include_str!("migrations/0028_seat_batches.sql"),
    include_str!("migrations/0029_triennial.sql"),
    include_str!("migrations/0030_open_balance_days.sql"),
];

/// The schema version this build writes.
pub fn schema_version() -> usize {
    MIGRATIONS.len()
}

fn migrations() -> Migrations<'static> {
    Migrations::new(
        MIGRATIONS
            .iter()
            .map(|sql| match *sql {
                s if s.starts_with("-- VAT treatment") => M::up_with_hook(s, move_vat_ids),
                s if s.starts_with("-- NCE:") => M::up_with_hook(s, licence_terms),
                s => M::up(s),
            })
            .collect(),
    )
}

/// 0013: a customer's tax id that is a valid EU VAT ID becomes its VAT ID (normalized), so
/// the `auto` treatment sees it; anything else (EIN, ABN, …) stays the free tax id.
fn move_vat_ids(tx: &rusqlite::Transaction<'_>) -> rusqlite_migration::HookResult {
    let found: Vec<(i64, String)> = {
        let mut stmt = tx.prepare("SELECT id, tax_id FROM customers WHERE tax_id <> ''")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for (id, tax_id) in found {
        if let Ok(vat) = vardesk_core::vat::check_vat_id(&tax_id) {
            tx.execute(
                "UPDATE customers SET vat_id = ?2, tax_id = '' WHERE id = ?1",
                rusqlite::params![id, vat.to_string()],
            )?;
        }
    }
    Ok(())
}

/// 0027: subscriptions to catalog items marked as Microsoft licences get NCE terms (§10):
/// monthly → P1M billed monthly, annual → P1Y billed annually, the first term from the
/// subscription's start (later renewals roll it on when read).
fn licence_terms(tx: &rusqlite::Transaction<'_>) -> rusqlite_migration::HookResult {
    use vardesk_core::nce::{term_end, Term};
    let found: Vec<(i64, String, String)> = {
        let mut stmt = tx.prepare(
            "SELECT s.id, s.interval, s.start_date FROM subscriptions s
             JOIN catalog_items c ON c.id = s.catalog_item_id WHERE c.ms_licence = 1",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for (id, interval, start) in found {
        let Ok(start_day) = start.parse::<chrono::NaiveDate>() else {
            continue;
        };
        let term = if interval == "annual" {
            Term::P1Y
        } else {
            Term::P1M
        };
        tx.execute(
            "UPDATE subscriptions SET term = ?2, ms_billing = ?3, term_start = ?4, term_end = ?5
             WHERE id = ?1",
            rusqlite::params![
                id,
                term.as_str(),
                interval,
                start,
                term_end(start_day, term).to_string()
            ],
        )?;
    }
    Ok(())
}

/// Every connection VarDesk opens: SQLite's defensive mode (no writes to the schema table,
/// no corrupting pragmas) and an untrusted schema (functions with side effects are not run
/// from triggers or views a file brought along).
pub(crate) fn harden(conn: &Connection) -> Result<()> {
    use rusqlite::config::DbConfig;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)
        .db()?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)
        .db()?;
    Ok(())
}

/// Every row of a query as a tuple (rusqlite reads a row into a tuple of its columns' types).
pub(crate) fn all_rows<T>(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> Result<Vec<T>>
where
    T: for<'a> TryFrom<&'a rusqlite::Row<'a>, Error = rusqlite::Error>,
{
    let mut stmt = conn.prepare_cached(sql).db()?;
    let rows = stmt
        .query_map(params, |r| T::try_from(r))
        .db()?
        .collect::<rusqlite::Result<_>>()
        .db()?;
    Ok(rows)
}

/// A schema as `sqlite_master` lists it: (type, name, sql) of every table, index, trigger
/// and view VarDesk made (SQLite's own `sqlite_*` objects left out).
pub(crate) type Schema = std::collections::BTreeSet<(String, String, Option<String>)>;

pub(crate) fn schema_of(conn: &Connection) -> rusqlite::Result<Schema> {
    let mut stmt = conn.prepare(
        "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    rows.collect()
}

/// The schema VarDesk's own migrations make at `version`.
pub(crate) fn expected_schema(version: usize) -> Result<Schema> {
    // Built once per version: rotation checks every backup in the folder.
    static BUILT: std::sync::Mutex<Vec<(usize, Schema)>> = std::sync::Mutex::new(Vec::new());
    let mut built = BUILT.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((_, schema)) = built.iter().find(|(v, _)| *v == version) {
        return Ok(schema.clone());
    }
    let mut conn = Connection::open_in_memory().db()?;
    migrations().to_version(&mut conn, version).map_err(|e| {
        internal(format!(
            "The schema of version {version} cannot be built: {e}."
        ))
    })?;
    let schema = schema_of(&conn).db()?;
    built.push((version, schema.clone()));
    Ok(schema)
}

/// The database file the app and the CLI share: `VARDESK_DATA_DIR` when set (tests and
/// development never touch real data), else the platform's app-data folder.
/// The version of the SQLite compiled into VarDesk (shown in About).
pub fn sqlite_version() -> &'static str {
    rusqlite::version()
}

pub fn default_db_path() -> Result<PathBuf> {
    let dir = match std::env::var_os("VARDESK_DATA_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => dirs::data_dir()
            .ok_or_else(|| internal("This system has no application data folder."))?
            .join("com.vardesk.desktop"),
    };
    Ok(dir.join("vardesk.sqlite3"))
}

pub(crate) fn internal(message: impl Into<String>) -> CoreError {
    CoreError::new(ErrorCode::Internal, message)
}

/// Turns a database error into a sentence; constraint failures become conflicts.
pub(crate) fn db_error(e: rusqlite::Error) -> CoreError {
    match &e {
        rusqlite::Error::SqliteFailure(f, _)
            if f.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            CoreError::new(
                ErrorCode::Conflict,
                format!("The change was refused by the database: {e}."),
            )
        }
        rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::DiskFull => {
            internal("The disk is full: nothing was saved. Free some space and try again.")
        }
        rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::ReadOnly => {
            internal("The database file is read-only: nothing was saved.")
        }
        rusqlite::Error::SqliteFailure(f, _)
            if f.code == rusqlite::ErrorCode::DatabaseBusy
                || f.code == rusqlite::ErrorCode::DatabaseLocked =>
        {
            CoreError::new(
                ErrorCode::AlreadyOpen,
                "The database is busy in another VarDesk window or command; try again.",
            )
        }
        _ => internal(format!("The database reported an error: {e}.")),
    }
}

pub(crate) trait DbResult<T> {
    fn db(self) -> Result<T>;
}

impl<T> DbResult<T> for rusqlite::Result<T> {
    fn db(self) -> Result<T> {
        self.map_err(db_error)
    }
}

/// `value × 10^scale` as an integer; the value must have at most `scale` decimals.
pub(crate) fn to_scaled(value: Decimal, scale: u32) -> Result<i64> {
    let scaled = value * Decimal::from(10i64.pow(scale));
    if scaled.fract() != Decimal::ZERO {
        return Err(internal(format!("{value} has more than {scale} decimals.")));
    }
    i64::try_from(scaled).map_err(|_| internal(format!("{value} is too large to store.")))
}

/// A line's figures as stored: quantity, unit price and unit cost ×10⁴, discount and tax
/// rate ×10².
pub(crate) struct ScaledLine {
    pub quantity: i64,
    pub unit_price: i64,
    pub unit_cost: i64,
    pub discount: i64,
    pub tax_rate: i64,
}

pub(crate) fn scaled_line(line: &vardesk_core::lines::Line) -> Result<ScaledLine> {
    Ok(ScaledLine {
        quantity: to_scaled(line.quantity, 4)?,
        unit_price: to_scaled(line.unit_price, 4)?,
        unit_cost: to_scaled(line.unit_cost.unwrap_or_default(), 4)?,
        discount: to_scaled(line.discount_percent.unwrap_or_default(), 2)?,
        tax_rate: to_scaled(line.tax_rate_percent.unwrap_or_default(), 2)?,
    })
}

pub(crate) fn from_scaled(value: i64, scale: u32) -> Decimal {
    Decimal::new(value, scale).normalize()
}

/// Today on this computer's calendar: the one clock the app and the command line read for
/// the day (core has none; every rule takes the day as an argument).
pub fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// Now, as stored in `*_at` columns (UTC, RFC 3339).
pub(crate) fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// One open database. Every write goes through `write`, one `BEGIN IMMEDIATE` transaction.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens (and migrates) an existing database; a missing file is refused.
    pub fn open(path: &Path) -> Result<Store> {
        if !path.exists() {
            return Err(CoreError::new(
                ErrorCode::NotFound,
                format!(
                    "There is no VarDesk database at {}; create one with `vardesk init`.",
                    path.display()
                ),
            ));
        }
        Store::open_or_create(path)
    }

    /// Opens the database, creating the file and its folder when missing. Before a newer
    /// VarDesk upgrades an existing file's schema, the file is backed up.
    pub fn open_or_create(path: &Path) -> Result<Store> {
        Store::open_file(path, true)
    }

    fn open_file(path: &Path, backup_before_upgrade: bool) -> Result<Store> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| {
                internal(format!(
                    "The data folder {} cannot be created: {e}.",
                    dir.display()
                ))
            })?;
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(path, flags).map_err(|e| {
            internal(format!(
                "The database {} cannot be opened: {e}.",
                path.display()
            ))
        })?;
        conn.busy_timeout(std::time::Duration::from_secs(5)).db()?;
        harden(&conn)?;
        // A file that is not SQLite, or whose pages are damaged: the app offers the latest
        // good backup.
        let not_sqlite = |e: rusqlite::Error| match e {
            rusqlite::Error::SqliteFailure(f, _)
                if f.code == rusqlite::ErrorCode::NotADatabase
                    || f.code == rusqlite::ErrorCode::DatabaseCorrupt =>
            {
                CoreError::new(
                    ErrorCode::DamagedData,
                    format!(
                        "{} is not a VarDesk database, or it is damaged.",
                        path.display()
                    ),
                )
            }
            rusqlite::Error::SqliteFailure(f, _)
                if f.code == rusqlite::ErrorCode::CannotOpen
                    || f.code == rusqlite::ErrorCode::ReadOnly =>
            {
                CoreError::new(
                    ErrorCode::Validation,
                    format!(
                        "VarDesk cannot write to {} or its folder (read-only, or no \
                         permission). Nothing was changed; make the folder writable, or move \
                         the data to one that is.",
                        path.display()
                    ),
                )
            }
            other => db_error(other),
        };
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(not_sqlite)?;
        conn.pragma_update(None, "synchronous", "FULL").db()?;
        let version: usize = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(not_sqlite)?;
        // The schema must read: a damaged first page shows here rather than later.
        conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
            r.get::<_, i64>(0)
        })
        .map_err(not_sqlite)?;
        if version > schema_version() {
            return Err(CoreError::new(
                ErrorCode::DbTooNew,
                format!(
                    "This database was written by a newer VarDesk (schema version {version}); \
                     this VarDesk understands up to version {}. Update VarDesk to open it.",
                    schema_version()
                ),
            ));
        }
        if backup_before_upgrade && version > 0 && version < schema_version() {
            // Kept however many backups the folder holds: an upgrade is rare and precious.
            backup::back_up(
                path,
                &backup::default_folder(path),
                backup::BackupKind::BeforeUpgrade,
                u32::MAX,
            )?;
        }
        // Foreign keys are enforced once the schema is current: a migration that rebuilds a
        // table (0029) copies it while they are off (SQLite is built with them on by default),
        // and the result is checked here.
        conn.pragma_update(None, "foreign_keys", "OFF").db()?;
        migrations()
            .to_latest(&mut conn)
            .map_err(|e| internal(format!("The database could not be upgraded: {e}.")))?;
        if version < schema_version() {
            let dangling: Option<String> = conn
                .query_row(
                    "SELECT \"table\" FROM pragma_foreign_key_check LIMIT 1",
                    [],
                    |r| r.get(0),
                )
                .optional()
                .db()?;
            if let Some(table) = dangling {
                return Err(internal(format!(
                    "The upgraded data refers to rows that are missing (in {table}); the copy \
                     made before the upgrade is in the backup folder."
                )));
            }
        }
        conn.pragma_update(None, "foreign_keys", "ON").db()?;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
        })
    }

    /// An empty store in memory, for a window that must open while the data file cannot
    /// (it then shows only why, and what can be done).
    pub fn in_memory() -> Result<Store> {
        let mut conn = Connection::open_in_memory().db()?;
        conn.pragma_update(None, "foreign_keys", "OFF").db()?;
        migrations()
            .to_latest(&mut conn)
            .map_err(|e| internal(format!("The schema could not be created: {e}.")))?;
        conn.pragma_update(None, "foreign_keys", "ON").db()?;
        Ok(Store {
            conn,
            path: PathBuf::new(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Read access.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Runs `f` on one snapshot of the books (a read transaction): what it reads in several
    /// queries belongs together even while the window or a script writes meanwhile, and
    /// SQLite takes its read lock once instead of once per query.
    pub fn read<T>(&self, f: impl FnOnce(&Store) -> Result<T>) -> Result<T> {
        let snapshot = self.conn.unchecked_transaction().db()?;
        let value = f(self)?;
        snapshot.commit().db()?;
        Ok(value)
    }

    /// Runs `f` in one `BEGIN IMMEDIATE` transaction: commit on Ok, roll back on Err.
    pub fn write<T>(&mut self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .db()?;
        let value = f(&tx)?;
        tx.commit().db()?;
        Ok(value)
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    use super::*;

    pub fn temp_store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_or_create(&dir.path().join("test.sqlite3")).unwrap();
        (dir, store)
    }

    pub fn day(s: &str) -> chrono::NaiveDate {
        s.parse().unwrap()
    }

    /// A Microsoft licence (§10) for a new German customer named after it: `seats` from
    /// `start` under `term`, at `price` with cost `cost` per seat and month.
    pub fn licence(
        store: &mut Store,
        (seats, price, cost): (&str, &str, &str),
        start: &str,
        term: &str,
        item: Option<i64>,
    ) -> i64 {
        let customer = store
            .create_customer(&vardesk_core::customer::CustomerForm {
                name: format!("Licensee {start} {term} {seats}"),
                currency: "EUR".into(),
                country: "DE".into(),
                ..Default::default()
            })
            .unwrap()
            .id;
        store
            .save_subscription_on(
                None,
                &vardesk_core::invoicing::SubscriptionForm {
                    customer_id: Some(customer),
                    catalog_item_id: item,
                    description: "Microsoft 365 Business Standard".into(),
                    quantity: seats.into(),
                    unit: "seat".into(),
                    unit_price: price.into(),
                    unit_cost: cost.into(),
                    tax_rate_percent: "19".into(),
                    interval: "monthly".into(),
                    start_date: start.into(),
                    term: term.into(),
                    ..Default::default()
                },
                day(start),
            )
            .unwrap()
            .id
    }

    /// A store with a complete company profile ("Contoso", in Berlin) and nothing else.
    pub fn profiled_store() -> (tempfile::TempDir, Store) {
        let (dir, mut store) = temp_store();
        let profile = vardesk_core::settings::SettingsForm {
            company_name: "Contoso".into(),
            ..crate::sample::sample_company()
        };
        store.save_settings(&profile).unwrap();
        (dir, store)
    }

    /// A store with a company profile and the sample data (no billing) as of 2026-11-23.
    pub fn sample_store() -> (tempfile::TempDir, Store) {
        let (dir, mut store) = profiled_store();
        store
            .load_sample_data_without_billing(day("2026-11-23"))
            .unwrap();
        (dir, store)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        migrations().validate().unwrap();
    }

    #[test]
    fn a_fresh_file_gets_every_migration_and_the_pragmas() {
        let (_dir, store) = test_support::temp_store();
        let c = store.conn();
        let version: usize = c
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, schema_version());
        let mode: String = c
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        let fk: i64 = c
            .pragma_query_value(None, "foreign_keys", |r| r.get(0))
            .unwrap();
        assert_eq!(fk, 1);
        let sync: i64 = c
            .pragma_query_value(None, "synchronous", |r| r.get(0))
            .unwrap();
        assert_eq!(sync, 2);
    }

    #[test]
    fn every_migration_applies_to_the_previous_version_with_data() {
        for target in 1..schema_version() {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("old.sqlite3");
            let mut conn = Connection::open(&path).unwrap();
            migrations().to_version(&mut conn, target).unwrap();
            conn.execute_batch(
                "INSERT INTO customers (name, name_key, name_fold, search_text, currency,
                    payment_terms_days, status, created_at, updated_at)
                 VALUES ('Łódź Logistics', 'łódź logistics', 'lodz logistics', 'lodz logistics',
                    'PLN', 14, 'active', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');",
            )
            .unwrap();
            drop(conn);
            let store = Store::open(&path).unwrap();
            let version: usize = store
                .conn()
                .pragma_query_value(None, "user_version", |r| r.get(0))
                .unwrap();
            assert_eq!(version, schema_version());
            let name: String = store
                .conn()
                .query_row("SELECT name FROM customers", [], |r| r.get(0))
                .unwrap();
            assert_eq!(name, "Łódź Logistics");
            assert!(store.check().unwrap().ok);
        }
    }

    /// 0029 builds `subscriptions` and its revisions again: every row, and every row that
    /// refers to them (billed lines, seat batches, revisions), survives with its id.
    #[test]
    fn the_triennial_rebuild_keeps_subscriptions_and_what_refers_to_them() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v28.sqlite3");
        let mut conn = Connection::open(&path).unwrap();
        migrations().to_version(&mut conn, 28).unwrap();
        conn.execute_batch(
            "INSERT INTO customers (id, name, name_key, name_fold, search_text, currency,
                payment_terms_days, status, created_at, updated_at)
             VALUES (1, 'Contoso', 'contoso', 'contoso', 'contoso', 'EUR', 14, 'active', 'x', 'x');
             INSERT INTO subscriptions (id, customer_id, description, currency, quantity_e4,
                unit_price_e4, unit_cost_e4, tax_rate_e2, interval, start_date, created_at,
                updated_at, term, ms_billing, term_start, term_end)
             VALUES (7, 1, 'Microsoft 365', 'EUR', 100000, 120000, 100000, 1900, 'monthly',
                '2026-01-01', 'x', 'x', 'P1Y', 'monthly', '2026-01-01', '2026-12-31');
             UPDATE subscriptions SET quantity_e4 = 120000 WHERE id = 7;
             INSERT INTO seat_batches (subscription_id, bought_on, quantity_e4, own_line, created_at)
             VALUES (7, '2026-11-20', 20000, 1, 'x');
             INSERT INTO invoices (id, customer_id, status, currency, created_at, updated_at)
             VALUES (3, 1, 'draft', 'EUR', 'x', 'x');
             INSERT INTO invoice_lines (invoice_id, position, description, quantity_e4, unit,
                unit_price_e4, unit_cost_e4, tax_rate_e2, subscription_id, period)
             VALUES (3, 0, 'Microsoft 365', 100000, '', 120000, 100000, 1900, 7, '2026-11');",
        )
        .unwrap();
        let counts = |c: &Connection| -> Vec<i64> {
            [
                "subscriptions",
                "subscription_revisions",
                "seat_batches",
                "invoice_lines",
            ]
            .iter()
            .map(|t| {
                c.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))
                    .unwrap()
            })
            .collect()
        };
        let before = counts(&conn);
        assert_eq!(before, [1, 1, 1, 1]);
        drop(conn);
        let store = Store::open(&path).unwrap();
        assert_eq!(counts(store.conn()), before);
        let report = store.check().unwrap();
        assert!(report.ok, "{report:?}");
        let fk: i64 = store
            .conn()
            .pragma_query_value(None, "foreign_keys", |r| r.get(0))
            .unwrap();
        assert_eq!(fk, 1, "enforced again after the migrations");
        // The new interval is accepted, for a three-year term only.
        store
            .conn()
            .execute("UPDATE subscriptions SET term = 'P3Y', ms_billing = 'upfront', interval = 'triennial' WHERE id = 7", [])
            .unwrap();
        assert!(store
            .conn()
            .execute("UPDATE subscriptions SET term = 'P1Y' WHERE id = 7", [])
            .is_err());
    }

    #[test]
    fn a_read_sees_one_snapshot_while_another_connection_writes() {
        let (dir, store) = test_support::temp_store();
        let mut writer = Store::open(&dir.path().join("test.sqlite3")).unwrap();
        let count = |s: &Store| -> i64 {
            s.conn()
                .query_row("SELECT count(*) FROM settings", [], |r| r.get(0))
                .unwrap()
        };
        let (before, after) = store
            .read(|s| {
                let before = count(s);
                writer.save_settings(&sample::sample_company()).unwrap();
                Ok((before, count(s)))
            })
            .unwrap();
        assert_eq!((before, after), (0, 0), "the read kept its snapshot");
        // Once the read has ended, the write is seen; a failed read leaves no transaction.
        assert_eq!(count(&store), 1);
        let failed: Result<()> = store.read(|_| Err(internal("stop")));
        assert!(failed.is_err());
        assert!(store.conn().is_autocommit());
    }

    #[test]
    fn a_newer_database_is_refused_with_its_own_code() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.sqlite3");
        drop(Store::open_or_create(&path).unwrap());
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
        drop(conn);
        let err = Store::open(&path).err().unwrap();
        assert_eq!(err.code, ErrorCode::DbTooNew);
        assert!(err.message.contains("99"), "{}", err.message);
    }

    #[test]
    fn a_file_that_is_not_a_database_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("junk.sqlite3");
        std::fs::write(&path, vec![b'x'; 4096]).unwrap();
        let err = Store::open(&path).err().unwrap();
        assert!(
            err.message.contains("not a VarDesk database"),
            "{}",
            err.message
        );
    }

    #[test]
    fn a_missing_file_is_not_created_by_open() {
        let dir = tempfile::tempdir().unwrap();
        let err = Store::open(&dir.path().join("none.sqlite3")).err().unwrap();
        assert_eq!(err.code, ErrorCode::NotFound);
        assert!(!dir.path().join("none.sqlite3").exists());
    }
}
