//! `vardesk`: the command line beside the app (../shared/spec/CLI.md). Same core and store
//! code as the app; exit 0 on success, 1 when input or data is refused, 2 for usage errors.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use serde_json::{json, Value};
use vardesk_core::{calc, CoreError};
use vardesk_store::today;
use vardesk_store::Store;

mod bench;
mod commands;

use commands::customers::{self, CustomersCommand};
use commands::invoices::{self, BillingCommand, InvoicesCommand};
use commands::quotes::{self, QuotesCommand};
use commands::{ledger, moving_in, projection, reconcile};

#[derive(Parser)]
#[command(name = "vardesk", version, about = "VarDesk from the command line")]
struct Cli {
    /// The database file (default: the one the app uses).
    #[arg(long, global = true)]
    db: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run one calculation: JSON on stdin, JSON on stdout.
    Calc { op: Op },
    /// Create the database file (and load sample data), or with `--company` an empty file
    /// with a company profile, ready to use.
    Init {
        #[arg(long)]
        sample_data: bool,
        #[arg(long)]
        company: Option<String>,
        #[arg(long)]
        country: Option<String>,
        #[arg(long)]
        currency: Option<String>,
        #[arg(long)]
        locale: Option<String>,
    },
    /// Company settings.
    Settings {
        #[command(subcommand)]
        command: ledger::SettingsCommand,
    },
    /// Subscriptions: list, add, edit.
    Subscriptions {
        #[command(subcommand)]
        command: Box<ledger::SubscriptionsCommand>,
    },
    /// Check integrity and invariants.
    Check {
        #[arg(long)]
        json: bool,
        /// Also write the report as text to this file (to send to support).
        #[arg(long)]
        report: Option<PathBuf>,
    },
    /// Customers: list, import, export.
    Customers {
        #[command(subcommand)]
        command: CustomersCommand,
    },
    /// Quotes: list, PDF, accept.
    Quotes {
        #[command(subcommand)]
        command: QuotesCommand,
    },
    /// Billing runs over the subscriptions.
    Billing {
        #[command(subcommand)]
        command: BillingCommand,
    },
    /// Invoices: list, issue.
    Invoices {
        #[command(subcommand)]
        command: InvoicesCommand,
    },
    /// Project recurring revenue with the saved default assumptions (DOMAIN.md §7).
    Projection {
        /// The horizon in months (1 to 120); default: the saved assumptions'.
        #[arg(long)]
        months: Option<u32>,
        /// Also write the month-by-month table as CSV (UTF-8 with BOM).
        #[arg(long)]
        csv: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Everything in one ZIP: customers, quotes, invoices, payments and subscriptions as
    /// CSV, and every issued invoice and credit note as PDF.
    Export {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Back up the database (online: the app may keep running).
    Backup {
        /// The backup file; default: a new file in the backup folder (rotated).
        #[arg(long)]
        out: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Replace the database with a backup, after checking it and backing up the current data.
    Restore {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// The catalog: Microsoft's (or a distributor's) price list imported (DOMAIN.md §10).
    Catalog {
        #[command(subcommand)]
        command: CatalogCommand,
    },
    /// The distributor's monthly bill against the subscriptions you bill (DOMAIN.md §10):
    /// seats not billed, seats billed and not bought, cost differences, unmatched charges and
    /// each customer's margin. Reads; changes nothing.
    Reconcile {
        file: PathBuf,
        #[command(flatten)]
        mapping: moving_in::MappingArgs,
        /// Also write the report as CSV (UTF-8 with BOM).
        #[arg(long)]
        csv: Option<PathBuf>,
        /// Also write the report as PDF.
        #[arg(long)]
        pdf: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Measure performance and print the figures.
    Bench {
        /// Smaller data sets, for a quick look.
        #[arg(long)]
        quick: bool,
        #[arg(long)]
        json: bool,
    },
}

impl Command {
    /// Commands that change the data take the data lock: refused while the app has the file
    /// open (or another writing command runs), never interleaved with it.
    fn writes(&self) -> bool {
        match self {
            Command::Init { .. } | Command::Restore { .. } | Command::Settings { .. } => true,
            Command::Customers {
                command: CustomersCommand::Add(_),
            } => true,
            Command::Subscriptions { command } => !matches!(
                **command,
                ledger::SubscriptionsCommand::List { .. }
                    | ledger::SubscriptionsCommand::Import { dry_run: true, .. }
            ),
            Command::Customers {
                command: CustomersCommand::Import { dry_run, .. },
            }
            | Command::Invoices {
                command: InvoicesCommand::ImportOpen { dry_run, .. },
            } => !dry_run,
            Command::Quotes {
                command: QuotesCommand::Accept { .. },
            } => true,
            Command::Billing { .. } => true,
            Command::Catalog {
                command: CatalogCommand::ImportPrices { dry_run, .. },
            } => !dry_run,
            // Only a mapping asked to be saved is written.
            Command::Reconcile { mapping, .. } => mapping.save_mapping.is_some(),
            Command::Invoices {
                command:
                    InvoicesCommand::Issue { .. }
                    | InvoicesCommand::Pay { .. }
                    | InvoicesCommand::ReversePayment { .. }
                    | InvoicesCommand::Credit { .. },
            } => true,
            _ => false,
        }
    }
}

#[derive(Subcommand)]
enum CatalogCommand {
    /// Import a price list (Partner Center's new-commerce license-based price list, or a
    /// distributor's through a mapping): one item per product/SKU × term × billing, costs
    /// now, licences' costs at their renewal.
    ImportPrices {
        file: PathBuf,
        #[command(flatten)]
        mapping: moving_in::MappingArgs,
        /// Also set the items' prices to the suggested retail prices (ERP).
        #[arg(long)]
        update_prices: bool,
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
#[value(rename_all = "snake_case")]
enum Op {
    DocTotals,
    QuoteTotals,
    Estimate,
    BillLine,
    Projection,
    Inventory,
    Numbering,
}

impl Op {
    fn name(self) -> &'static str {
        match self {
            Op::DocTotals => "doc_totals",
            Op::QuoteTotals => "quote_totals",
            Op::Estimate => "estimate",
            Op::BillLine => "bill_line",
            Op::Projection => "projection",
            Op::Inventory => "inventory",
            Op::Numbering => "numbering",
        }
    }
}

fn main() -> ExitCode {
    let matches = Cli::command().get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    // The log of the books this command works on (only when their folder exists): which
    // command ran, how long it took, how it ended; never its arguments.
    if let Ok(db) = cli
        .db
        .clone()
        .map_or_else(vardesk_store::default_db_path, Ok)
    {
        vardesk_store::logs::start(&db, "cli", false);
    }
    let mut words = vec![];
    let mut level = Some(&matches);
    while let Some((name, sub)) = level.and_then(|m| m.subcommand()) {
        words.push(name);
        level = Some(sub);
    }
    let span = tracing::info_span!("vardesk", command = words.join(" "));
    let _entered = span.enter();
    // A bug that panics still ends in one sentence, never a backtrace (CLI.md); every write
    // is a transaction, so nothing half-written stays behind.
    std::panic::set_hook(Box::new(|_| {}));
    let outcome = std::panic::catch_unwind(|| run(cli)).unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        // `vardesk … | head`: the reader went away; like any Unix tool, stop quietly.
        if what.contains("failed printing to stdout") {
            return Ok(());
        }
        Err(CoreError::new(
            vardesk_core::ErrorCode::Internal,
            format!("Internal error (a bug in VarDesk, nothing was changed): {what}."),
        ))
    });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::warn!(code = e.code.as_str(), "{}", e.message);
            eprintln!("vardesk: {}", e.message);
            ExitCode::from(1)
        }
    }
}

/// The database file: refused on a network share, with a warning inside a synced folder.
fn db_path(cli_db: Option<PathBuf>) -> Result<PathBuf, CoreError> {
    let path = cli_db.map_or_else(vardesk_store::default_db_path, Ok)?;
    if let Some(warning) = vardesk_store::location::check_data_location(&path)? {
        eprintln!("vardesk: warning: {warning}");
    }
    Ok(path)
}

pub(crate) fn print_json(value: &Value) {
    let mut out = std::io::stdout().lock();
    let _ = serde_json::to_writer(&mut out, value);
    let _ = writeln!(out);
}

fn run(cli: Cli) -> Result<(), CoreError> {
    let _lock = if cli.command.writes() {
        Some(vardesk_store::lock::lock_data(&db_path(cli.db.clone())?)?)
    } else {
        None
    };
    match cli.command {
        Command::Calc { op } => {
            let mut text = String::new();
            std::io::stdin().read_to_string(&mut text).map_err(|e| {
                CoreError::validation("input", format!("stdin cannot be read: {e}."))
            })?;
            let input: Value = serde_json::from_str(&text).map_err(|e| {
                CoreError::validation("input", format!("The input is not JSON: {e}."))
            })?;
            print_json(&calc::run(op.name(), &input, &|path| {
                std::fs::read(path).map_err(|e| e.to_string())
            })?);
            Ok(())
        }
        Command::Init {
            sample_data,
            company: Some(company),
            country,
            currency,
            locale,
        } if !sample_data => {
            let path = db_path(cli.db)?;
            refuse_existing(&path)?;
            ledger::init_company(
                &path,
                &company,
                country.as_deref(),
                currency.as_deref(),
                locale.as_deref(),
            )
        }
        Command::Init { sample_data, .. } => init(&db_path(cli.db)?, sample_data),
        Command::Settings { command } => ledger::settings(&db_path(cli.db)?, command),
        Command::Subscriptions { command } => ledger::subscriptions(&db_path(cli.db)?, *command),
        Command::Check { json, report: file } => {
            let db = db_path(cli.db)?;
            let store = Store::open(&db)?;
            let report = store.check()?;
            let text = report.text(env!("CARGO_PKG_VERSION"));
            if let Some(file) = file {
                // Support also gets what the log says happened lately.
                let log = vardesk_store::logs::recent(&db, 200);
                let text = format!(
                    "{text}\nRecent log ({}, last {} lines):\n{}\n",
                    vardesk_store::logs::folder(&db).display(),
                    log.len(),
                    log.join("\n")
                );
                std::fs::write(&file, &text).map_err(|e| {
                    CoreError::validation(
                        "report",
                        format!("{} cannot be written: {e}.", file.display()),
                    )
                })?;
            }
            if json {
                print_json(&json!(report));
            } else {
                print!("{text}");
            }
            if report.ok {
                Ok(())
            } else {
                Err(CoreError::validation(
                    "db",
                    format!("{} problem(s) found.", report.problems.len()),
                ))
            }
        }
        Command::Customers { command } => customers::run(&db_path(cli.db)?, command),
        Command::Quotes { command } => quotes::run(&db_path(cli.db)?, command),
        Command::Billing { command } => invoices::billing(&db_path(cli.db)?, command),
        Command::Invoices { command } => invoices::invoices(&db_path(cli.db)?, command),
        Command::Catalog {
            command:
                CatalogCommand::ImportPrices {
                    file,
                    mapping,
                    update_prices,
                    dry_run,
                    json,
                },
        } => {
            let mut store = Store::open(&db_path(cli.db)?)?;
            moving_in::import_file(
                &mut store,
                &file,
                &mapping,
                dry_run,
                json,
                "price(s)",
                |s, bytes, request| s.preview_price_list(bytes, request, update_prices, today()),
                |s, bytes, request| {
                    Ok(s.import_price_list(bytes, request, update_prices, today())?
                        .imported)
                },
            )
        }
        Command::Reconcile {
            file,
            mapping,
            csv,
            pdf,
            json,
        } => reconcile::run(
            &db_path(cli.db)?,
            &file,
            &mapping,
            (csv.as_deref(), pdf.as_deref()),
            json,
        ),
        Command::Projection { months, csv, json } => {
            projection::run(&db_path(cli.db)?, months, csv.as_deref(), json)
        }
        Command::Export { file, json } => {
            let store = Store::open(&db_path(cli.db)?)?;
            let written = std::fs::File::create(&file).map_err(|e| {
                CoreError::validation(
                    "file",
                    format!("{} cannot be written: {e}.", file.display()),
                )
            })?;
            let progress = std::io::stderr().is_terminal();
            let summary = vardesk_documents::export::export_everything(
                &store,
                today(),
                std::io::BufWriter::new(written),
                |done, total| {
                    if progress {
                        eprint!("\r{done}/{total} documents");
                    }
                },
            )?;
            if progress {
                eprintln!();
            }
            if json {
                print_json(&json!({ "file": file.display().to_string(), "exported": summary }));
            } else {
                println!(
                    "Exported {} customers, {} quotes, {} invoices, {} payments, {} subscriptions \
                     and {} PDFs to {}.",
                    summary.customers,
                    summary.quotes,
                    summary.invoices,
                    summary.payments,
                    summary.subscriptions,
                    summary.pdfs,
                    file.display()
                );
            }
            Ok(())
        }
        Command::Backup { out, json } => {
            let path = db_path(cli.db)?;
            let store = Store::open(&path)?;
            let (file, check) = match out {
                Some(out) => {
                    let check = vardesk_store::backup::back_up_to(&path, &out)?;
                    (out.display().to_string(), check)
                }
                None => {
                    let made = store.back_up_now(vardesk_store::backup::BackupKind::Manual)?;
                    let check = vardesk_store::backup::check_backup(Path::new(&made.path))?;
                    (made.path, check)
                }
            };
            if json {
                print_json(&json!({ "path": file, "backup": check }));
            } else {
                println!(
                    "Backed up {} customers and {} invoices to {file} (checked).",
                    check.customers, check.invoices
                );
            }
            Ok(())
        }
        Command::Restore { file, json } => {
            let mut store = Store::open(&db_path(cli.db)?)?;
            let outcome = store.restore_from(&file)?;
            if json {
                print_json(&json!(outcome));
            } else {
                if !outcome.lost.is_empty() {
                    println!(
                        "The restore removed {} issued document(s); their numbers are never \
                         issued again:",
                        outcome.lost.len()
                    );
                    for d in &outcome.lost {
                        println!(
                            "  {:<16} {:<32} {:>12} {}",
                            d.number, d.customer, d.total, d.currency
                        );
                    }
                }
                println!(
                    "Restored {} ({} customers, {} invoices). The data it replaced is in {}.",
                    file.display(),
                    outcome.restored.customers,
                    outcome.restored.invoices,
                    outcome.safety_backup.path
                );
            }
            Ok(())
        }
        Command::Bench { quick, json } => bench::run(quick, json),
    }
}

fn refuse_existing(path: &Path) -> Result<(), CoreError> {
    if path.exists() {
        return Err(CoreError::validation(
            "db",
            format!(
                "{} already exists; init creates new databases only.",
                path.display()
            ),
        ));
    }
    Ok(())
}

fn init(path: &Path, sample_data: bool) -> Result<(), CoreError> {
    refuse_existing(path)?;
    let mut store = Store::open_or_create(path)?;
    if sample_data {
        store.save_settings(&vardesk_store::sample::sample_company())?;
        let n = store.load_sample_data(today())?;
        println!(
            "Created {} with {n} sample customers and the sample catalog.",
            path.display()
        );
    } else {
        println!("Created {}.", path.display());
    }
    Ok(())
}

pub(crate) fn read_file(path: &Path) -> Result<Vec<u8>, CoreError> {
    std::fs::read(path).map_err(|e| {
        CoreError::validation("file", format!("{} cannot be read: {e}.", path.display()))
    })
}

/// Now, with the local offset (an e-mail's Date header).
pub(crate) fn now() -> chrono::DateTime<chrono::FixedOffset> {
    chrono::Local::now().fixed_offset()
}

pub(crate) fn write_out(out: &Path, bytes: &[u8]) -> Result<(), CoreError> {
    std::fs::write(out, bytes).map_err(|e| {
        CoreError::validation("out", format!("{} cannot be written: {e}.", out.display()))
    })
}
