//! `vardesk`: the command line beside the app (../shared/spec/CLI.md). Same core and store
//! code as the app; exit 0 on success, 1 when input or data is refused, 2 for usage errors.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use serde_json::{json, Value};
use vardesk_core::{calc, CoreError};
use vardesk_store::customers::{ArchiveFilter, CustomerQuery};
use vardesk_store::today;
use vardesk_store::Store;

mod bench;
mod ledger;
mod moving_in;
mod reconcile;

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
enum CustomersCommand {
    List {
        #[arg(long)]
        search: Option<String>,
        #[arg(long)]
        json: bool,
    },
    Import {
        file: PathBuf,
        #[command(flatten)]
        mapping: moving_in::MappingArgs,
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        json: bool,
    },
    Export {
        file: PathBuf,
    },
    /// Add one customer.
    Add(Box<ledger::CustomerAdd>),
}

#[derive(Subcommand)]
enum QuotesCommand {
    List {
        #[arg(long)]
        json: bool,
    },
    /// Write the quote as the customer sees it.
    Pdf {
        id: i64,
        #[arg(long)]
        out: PathBuf,
    },
    /// Write the quote as an e-mail draft (.eml, X-Unsent) to the customer, in its
    /// language, with the PDF attached; a draft quote is marked as sent.
    Send {
        id: i64,
        #[arg(long)]
        out: PathBuf,
    },
    /// Accept a sent quote: subscriptions and draft invoices for the one-time part,
    /// atomically. With `--deposit P --rest-on DATE`: P % now, the rest as a draft waiting
    /// for DATE.
    Accept {
        id: i64,
        #[arg(long, requires = "rest_on")]
        deposit: Option<String>,
        #[arg(long, requires = "deposit")]
        rest_on: Option<String>,
        /// One invoice per phase: a date for each one-time line, comma-separated, in order.
        #[arg(long, conflicts_with = "deposit", value_delimiter = ',')]
        phase_dates: Vec<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum BillingCommand {
    /// Create the month's draft invoices (YYYY-MM); `--issue` issues them too.
    Run {
        period: String,
        #[arg(long)]
        issue: bool,
        #[arg(long)]
        json: bool,
    },
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

#[derive(Subcommand)]
enum InvoicesCommand {
    List {
        #[arg(long)]
        status: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Import the invoices customers still owe from the previous tool (DOMAIN.md §11).
    ImportOpen {
        file: PathBuf,
        #[command(flatten)]
        mapping: moving_in::MappingArgs,
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        json: bool,
    },
    /// Issue a draft: its number, dates and customer snapshot (once, even when repeated).
    Issue {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Write the invoice as the customer sees it.
    Pdf {
        id: i64,
        #[arg(long)]
        out: PathBuf,
    },
    /// Write an issued invoice or credit note as an EN 16931 e-invoice: Factur-X (a PDF/A-3
    /// with the XML inside) or the XML of XRechnung or Peppol.
    Einvoice {
        id: i64,
        /// facturx, xrechnung-cii, xrechnung-ubl or peppol.
        #[arg(long)]
        format: String,
        #[arg(long)]
        out: PathBuf,
    },
    /// Write an issued invoice or credit note as an e-mail draft (.eml, X-Unsent) to the
    /// customer, in its language, with the Factur-X PDF and, where the customer takes one,
    /// the XRechnung or Peppol XML; records that it was sent.
    Send {
        id: i64,
        #[arg(long)]
        out: PathBuf,
    },
    /// Payment reminders. Without `--customer`: who has overdue invoices, and the level of
    /// the next letter. With it: writes that customer's reminder (first, second, final) for
    /// its overdue invoices, with optional interest (% a year) and fee, and its PDF.
    Remind {
        #[arg(long)]
        customer: Option<i64>,
        /// The currency of the invoices to remind (default: the customer's).
        #[arg(long)]
        currency: Option<String>,
        #[arg(long, default_value = "0")]
        fee: String,
        #[arg(long, default_value = "0")]
        interest: String,
        /// The reminder's date (default: today).
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        out: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// One invoice or credit note with its lines, tax rows, payments and credit notes.
    Show {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Record a payment; a negative AMOUNT is a refund (DOMAIN.md §6.1).
    Pay {
        id: i64,
        #[arg(allow_negative_numbers = true)]
        amount: String,
        #[arg(long)]
        date: Option<String>,
        #[arg(long, default_value = "")]
        method: String,
        #[arg(long, default_value = "")]
        reference: String,
        #[arg(long)]
        json: bool,
    },
    /// Cancel a wrongly recorded payment with a reversal entry.
    ReversePayment {
        id: i64,
        payment_id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Issue a credit note: everything still open, chosen lines, or fixed amounts per rate.
    Credit {
        id: i64,
        #[arg(long)]
        all: bool,
        /// N:QTY (N as printed, from 1).
        #[arg(long = "line")]
        lines: Vec<String>,
        /// CATEGORY:RATE:NET, e.g. S:19:100.00.
        #[arg(long = "amount")]
        amounts: Vec<String>,
        #[arg(long, default_value = "")]
        reason: String,
        #[arg(long)]
        json: bool,
    },
    /// Write every issued invoice and credit note (of one year) as NUMBER.pdf into DIR.
    ExportPdfs {
        dir: PathBuf,
        #[arg(long)]
        year: Option<i32>,
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
            print_json(&calc::run(op.name(), &input)?);
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
        Command::Customers { command } => customers(&db_path(cli.db)?, command),
        Command::Quotes { command } => quotes(&db_path(cli.db)?, command),
        Command::Billing { command } => billing(&db_path(cli.db)?, command),
        Command::Invoices { command } => invoices(&db_path(cli.db)?, command),
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
            projection(&db_path(cli.db)?, months, csv.as_deref(), json)
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
            let summary = vardesk_pdf::export::export_everything(
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

fn projection(
    path: &Path,
    months: Option<u32>,
    csv: Option<&Path>,
    json: bool,
) -> Result<(), CoreError> {
    let store = Store::open(path)?;
    let mut form = store.default_assumptions(today())?;
    if let Some(m) = months {
        form.months = m.to_string();
    }
    let assumptions = form.validate()?;
    let report = store.projection(&assumptions, today())?;
    if let Some(file) = csv {
        std::fs::write(file, vardesk_core::annuity::report_csv(&report)).map_err(|e| {
            CoreError::validation("csv", format!("{} cannot be written: {e}.", file.display()))
        })?;
    }
    if json {
        print_json(&json!({
            "assumptions": form,
            "currency": report.currency,
            "start": report.start,
            "months": report.months,
            "rows": report.rows,
            "crossover_month": report.summary.crossover_month,
            "summary": report.summary,
        }));
        return Ok(());
    }
    let c = report.currency;
    let f = |d| c.format_plain(d);
    println!(
        "{:<8}  {:>14}  {:>14}  {:>14}  {:>14}  {:>16}  {:>16}",
        "month", "mrr", "arr", "margin", "one-time", "cum. recurring", "cum. one-time"
    );
    for r in &report.rows {
        println!(
            "{:<8}  {:>14}  {:>14}  {:>14}  {:>14}  {:>16}  {:>16}",
            r.period,
            f(r.mrr),
            f(r.arr),
            f(r.recurring_margin),
            f(r.one_time),
            f(r.cumulative_recurring),
            f(r.cumulative_one_time)
        );
    }
    let s = &report.summary;
    println!(
        "End MRR {} {c}, ARR {} {c}. {}.",
        f(s.end_mrr),
        f(s.end_arr),
        s.crossover_text
    );
    Ok(())
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

fn customers(path: &Path, command: CustomersCommand) -> Result<(), CoreError> {
    let mut store = Store::open(path)?;
    match command {
        CustomersCommand::List { search, json } => {
            let query = CustomerQuery {
                search: search.unwrap_or_default(),
                archive: ArchiveFilter::All,
                ..Default::default()
            };
            let page = store.list_customers(&query)?;
            if json {
                print_json(&json!({ "customers": page.customers }));
            } else {
                for c in &page.customers {
                    let archived = if c.archived { " (archived)" } else { "" };
                    println!(
                        "{:>6}  {:<40}  {:<9} {}{archived}",
                        c.id,
                        c.data.name,
                        c.data.status.as_str(),
                        c.data.currency
                    );
                }
                println!("{} customer(s)", page.total);
            }
            Ok(())
        }
        CustomersCommand::Import {
            file,
            mapping,
            dry_run,
            json,
        } => moving_in::import_file(
            &mut store,
            &file,
            &mapping,
            dry_run,
            json,
            "customer(s)",
            |s, bytes, request| s.preview_customer_import_with(bytes, request),
            |s, bytes, request| Ok(s.import_customers_with(bytes, request)?.imported),
        ),
        CustomersCommand::Add(add) => {
            drop(store);
            ledger::add_customer(path, *add)
        }
        CustomersCommand::Export { file } => {
            let bytes = store.export_customers()?;
            std::fs::write(&file, bytes).map_err(|e| {
                CoreError::validation(
                    "file",
                    format!("{} cannot be written: {e}.", file.display()),
                )
            })?;
            if std::io::stdout().is_terminal() {
                println!("Exported to {}.", file.display());
            }
            Ok(())
        }
    }
}

/// Now, with the local offset (an e-mail's Date header).
fn now() -> chrono::DateTime<chrono::FixedOffset> {
    chrono::Local::now().fixed_offset()
}

fn write_out(out: &Path, bytes: &[u8]) -> Result<(), CoreError> {
    std::fs::write(out, bytes).map_err(|e| {
        CoreError::validation("out", format!("{} cannot be written: {e}.", out.display()))
    })
}

fn quotes(path: &Path, command: QuotesCommand) -> Result<(), CoreError> {
    let mut store = Store::open(path)?;
    match command {
        QuotesCommand::List { json } => {
            let rows = store.list_quotes(&Default::default(), today())?;
            if json {
                let rows: Vec<Value> = rows
                    .iter()
                    .map(|r| {
                        let m = |d| r.currency.format_plain(d);
                        json!({
                            "id": r.id, "number": r.number, "version": r.version,
                            "customer": r.customer, "customer_id": r.customer_id, "title": r.title,
                            "status": r.status, "currency": r.currency.code(),
                            "quote_date": r.quote_date, "valid_until": r.valid_until,
                            "one_time": m(r.one_time), "monthly": m(r.monthly),
                            "annual": m(r.annual), "first_year": m(r.first_year),
                        })
                    })
                    .collect();
                print_json(&json!({ "quotes": rows }));
            } else {
                for r in &rows {
                    println!(
                        "{:>5}  {:<14} v{:<2} {:<10} {:<32} one-time {:>12} monthly {:>10} {}",
                        r.id,
                        r.number,
                        r.version,
                        r.status,
                        r.customer,
                        r.currency.format_plain(r.one_time),
                        r.currency.format_plain(r.monthly),
                        r.currency
                    );
                }
                println!("{} quote(s)", rows.len());
            }
            Ok(())
        }
        QuotesCommand::Pdf { id, out } => {
            let quote = store.quote(id, today())?;
            let bytes = vardesk_pdf::documents::quote_pdf(&store, &quote)?;
            std::fs::write(&out, bytes).map_err(|e| {
                CoreError::validation("out", format!("{} cannot be written: {e}.", out.display()))
            })?;
            if std::io::stdout().is_terminal() {
                println!(
                    "Wrote {} v{} to {}.",
                    quote.number,
                    quote.version,
                    out.display()
                );
            }
            Ok(())
        }
        QuotesCommand::Send { id, out } => {
            let mail = vardesk_pdf::mail::quote_mail(&store, id, today(), now())?;
            write_out(&out, &mail.eml)?;
            store.quote_sent_by_mail(id, &mail.to, today())?;
            println!("Wrote the e-mail to {} as {}.", mail.to, out.display());
            Ok(())
        }
        QuotesCommand::Accept {
            id,
            deposit,
            rest_on,
            phase_dates,
            json,
        } => {
            let date = |text: &str| {
                text.trim().parse::<chrono::NaiveDate>().map_err(|_| {
                    CoreError::validation(
                        "dates",
                        format!("The date \"{text}\" must be a date like 2026-12-31."),
                    )
                })
            };
            let invoicing = match (deposit, rest_on) {
                _ if !phase_dates.is_empty() => vardesk_core::deposit::OneTimeInvoicing::PerPhase {
                    dates: phase_dates
                        .iter()
                        .map(|d| date(d))
                        .collect::<Result<_, _>>()?,
                },
                (Some(percent), Some(on)) => vardesk_core::deposit::OneTimeInvoicing::Deposit {
                    percent: vardesk_core::money::parse_typed_decimal("percent", &percent)?,
                    rest_on: on.trim().parse().map_err(|_| {
                        CoreError::validation(
                            "rest_on",
                            format!("The date \"{on}\" must be a date like 2026-12-31."),
                        )
                    })?,
                },
                _ => vardesk_core::deposit::OneTimeInvoicing::AllNow,
            };
            let outcome = store.accept_quote_with(id, today(), &invoicing)?;
            if json {
                print_json(&json!(outcome));
            } else {
                println!(
                    "Accepted {}: {} subscription(s){}.",
                    outcome.number,
                    outcome.subscriptions.len(),
                    if outcome.invoice_id.is_some() {
                        " and a draft invoice"
                    } else {
                        ""
                    }
                );
            }
            Ok(())
        }
    }
}

fn invoice_json(r: &vardesk_store::invoices::InvoiceRow) -> Value {
    json!({
        "id": r.id, "number": r.number, "kind": r.kind, "customer": r.customer,
        "customer_id": r.customer_id, "status": r.status, "issue_date": r.issue_date,
        "due_date": r.due_date, "total": r.currency.format_plain(r.total),
        "paid": r.currency.format_plain(r.paid), "balance": r.currency.format_plain(r.balance),
        "currency": r.currency.code(),
    })
}

fn billing(path: &Path, command: BillingCommand) -> Result<(), CoreError> {
    let mut store = Store::open(path)?;
    let BillingCommand::Run {
        period,
        issue,
        json,
    } = command;
    let run = store.run_billing(&period)?;
    if issue {
        for id in &run.created {
            store.issue_invoice(*id, today())?;
        }
    }
    let lines: usize = run.invoices.iter().map(|i| i.lines.len()).sum();
    let totals: serde_json::Map<String, Value> = run
        .totals
        .iter()
        .map(|(c, t)| (c.clone(), Value::String(t.to_string())))
        .collect();
    if json {
        let mut out = json!({
            "period": run.period, "invoices_created": run.created.len(), "lines": lines,
            "already_billed": run.already_billed, "totals": totals, "issued": issue,
        });
        // One total only when one currency: amounts in different currencies are never added.
        if run.totals.len() <= 1 {
            out["total"] = Value::String(
                run.totals
                    .values()
                    .next()
                    .map_or("0".into(), |t| t.to_string()),
            );
        }
        print_json(&out);
    } else if run.created.is_empty() {
        println!(
            "{}: nothing to bill ({} subscription(s) already billed).",
            run.period, run.already_billed
        );
    } else {
        let sums: Vec<String> = run.totals.iter().map(|(c, t)| format!("{t} {c}")).collect();
        println!(
            "{}: {} draft invoice(s){} with {lines} line(s), {}; {} already billed.",
            run.period,
            run.created.len(),
            if issue { ", issued" } else { "" },
            sums.join(" + "),
            run.already_billed
        );
    }
    Ok(())
}

/// Every issued document (of `year`) as its number's PDF in `dir`; progress on a terminal.
fn export_pdfs(store: &Store, dir: &Path, year: Option<i32>, json: bool) -> Result<(), CoreError> {
    let cannot = |e: std::io::Error| {
        CoreError::validation("dir", format!("{} cannot be written: {e}.", dir.display()))
    };
    std::fs::create_dir_all(dir).map_err(cannot)?;
    let rows: Vec<_> = store
        .list_invoices(None, None, today())?
        .into_iter()
        .filter(|r| {
            r.number.is_some()
                && year.is_none_or(|y| {
                    r.issue_date
                        .as_deref()
                        .is_some_and(|d| d.starts_with(&format!("{y:04}-")))
                })
        })
        .collect();
    let progress = std::io::stderr().is_terminal();
    let mut written = Vec::with_capacity(rows.len());
    let mut names = vardesk_pdf::export::FileNames::default();
    for (i, row) in rows.iter().enumerate() {
        let number = row.number.as_deref().unwrap_or_default();
        let files =
            vardesk_pdf::export::document_files(store, row.id, number, &mut names, today())?;
        for (name, bytes) in files {
            std::fs::write(dir.join(&name), bytes).map_err(cannot)?;
            written.push(name);
        }
        if progress {
            eprint!("\r{}/{} {number:<20}", i + 1, rows.len());
        }
    }
    if progress {
        eprintln!();
    }
    if json {
        print_json(
            &json!({ "dir": dir.display().to_string(), "written": written.len(), "files": written }),
        );
    } else {
        println!(
            "Wrote {} document(s) to {}: each as PDF and as e-invoice XML.",
            written.len() / 2,
            dir.display()
        );
    }
    Ok(())
}

fn invoices(path: &Path, command: InvoicesCommand) -> Result<(), CoreError> {
    let mut store = Store::open(path)?;
    match command {
        InvoicesCommand::List { status, json } => {
            let rows = store.list_invoices(status.as_deref(), None, today())?;
            if json {
                print_json(
                    &json!({ "invoices": rows.iter().map(invoice_json).collect::<Vec<_>>() }),
                );
            } else {
                for r in &rows {
                    println!(
                        "{:>5}  {:<14} {:<15} {:<32} {:>12} {} balance {:>12}",
                        r.id,
                        r.number.as_deref().unwrap_or("(draft)"),
                        r.status,
                        r.customer,
                        r.currency.format_plain(r.total),
                        r.currency,
                        r.currency.format_plain(r.balance)
                    );
                }
                println!("{} invoice(s)", rows.len());
            }
            Ok(())
        }
        InvoicesCommand::Pdf { id, out } => {
            let bytes = vardesk_pdf::documents::invoice_pdf(&store, id, today())?;
            std::fs::write(&out, bytes).map_err(|e| {
                CoreError::validation("out", format!("{} cannot be written: {e}.", out.display()))
            })?;
            Ok(())
        }
        InvoicesCommand::Remind {
            customer,
            currency,
            fee,
            interest,
            date,
            out,
            json,
        } => {
            let on = match date {
                Some(d) => d.trim().parse().map_err(|_| {
                    CoreError::validation(
                        "date",
                        format!("The date \"{d}\" must be a date like 2026-12-31."),
                    )
                })?,
                None => today(),
            };
            let Some(customer) = customer else {
                let who = store.remindable(on)?;
                if json {
                    print_json(&json!({ "remindable": who }));
                } else {
                    for r in &who {
                        println!(
                            "{:>5}  {:<36} {} invoice(s) {:>12} {}  next: level {}",
                            r.customer_id,
                            r.customer,
                            r.invoices,
                            r.currency.format_plain(r.open),
                            r.currency,
                            r.next_level
                        );
                    }
                    println!("{} to remind", who.len());
                }
                return Ok(());
            };
            let out = out.ok_or_else(|| {
                CoreError::validation("out", "Name the reminder's PDF with --out.")
            })?;
            let currency = match currency {
                Some(c) => vardesk_core::Currency::parse(&c)?,
                None => store.customer(customer)?.data.currency,
            };
            let number =
                |field: &str, text: &str| vardesk_core::money::parse_typed_decimal(field, text);
            let reminder = store.create_reminder(
                customer,
                currency,
                number("fee", &fee)?,
                number("interest_percent", &interest)?,
                on,
            )?;
            write_out(
                &out,
                &vardesk_pdf::documents::reminder_pdf(&store, reminder.id)?,
            )?;
            if json {
                print_json(&json!(reminder));
            } else {
                println!(
                    "Reminder {} (level {}) for {} invoice(s): {} {} to pay by {}; wrote {}.",
                    reminder.id,
                    reminder.plan.level,
                    reminder.plan.lines.len(),
                    currency.format_plain(reminder.plan.total),
                    currency,
                    reminder.plan.pay_by,
                    out.display()
                );
            }
            Ok(())
        }
        InvoicesCommand::Send { id, out } => {
            let mail = vardesk_pdf::mail::invoice_mail(&store, id, today(), now())?;
            write_out(&out, &mail.eml)?;
            store.record_sent(vardesk_store::sends::Document::Invoice(id), &mail.to)?;
            println!("Wrote the e-mail to {} as {}.", mail.to, out.display());
            Ok(())
        }
        InvoicesCommand::Einvoice { id, format, out } => {
            use vardesk_core::einvoice::Format;
            let bytes = match Format::parse(&format) {
                Some(Format::FacturX) => {
                    vardesk_pdf::documents::invoice_facturx(&store, id, today())?
                }
                Some(f) => store.einvoice_xml(id, f, today())?.into_bytes(),
                None => {
                    return Err(CoreError::validation(
                        "format",
                        format!(
                            "\"{format}\" is not an e-invoice format VarDesk writes: facturx, \
                             xrechnung-cii, xrechnung-ubl or peppol."
                        ),
                    ))
                }
            };
            std::fs::write(&out, bytes).map_err(|e| {
                CoreError::validation("out", format!("{} cannot be written: {e}.", out.display()))
            })?;
            Ok(())
        }
        InvoicesCommand::ExportPdfs { dir, year, json } => export_pdfs(&store, &dir, year, json),
        InvoicesCommand::Show { id, json } => ledger::show(&store, id, json),
        InvoicesCommand::Pay {
            id,
            amount,
            date,
            method,
            reference,
            json,
        } => ledger::pay(
            &mut store,
            id,
            &amount,
            date.as_deref(),
            &method,
            &reference,
            json,
        ),
        InvoicesCommand::ReversePayment {
            id,
            payment_id,
            json,
        } => ledger::reverse(&mut store, id, payment_id, json),
        InvoicesCommand::Credit {
            id,
            all,
            lines,
            amounts,
            reason,
            json,
        } => ledger::credit(
            &mut store,
            id,
            ledger::CreditArgs {
                all,
                lines: &lines,
                amounts: &amounts,
                reason: &reason,
                json,
            },
        ),
        InvoicesCommand::ImportOpen {
            file,
            mapping,
            dry_run,
            json,
        } => moving_in::import_file(
            &mut store,
            &file,
            &mapping,
            dry_run,
            json,
            "open invoice(s)",
            |s, bytes, request| s.preview_open_invoice_import(bytes, request),
            |s, bytes, request| Ok(s.import_open_invoices(bytes, request)?.imported),
        ),
        InvoicesCommand::Issue { id, json } => {
            let row = store.issue_invoice(id, today())?;
            if json {
                print_json(&invoice_json(&row));
            } else {
                println!(
                    "Issued {} to {}: {} {}, due {}.",
                    row.number.as_deref().unwrap_or("?"),
                    row.customer,
                    row.currency.format_plain(row.total),
                    row.currency,
                    row.due_date.as_deref().unwrap_or("?")
                );
            }
            Ok(())
        }
    }
}
