//! `vardesk customers …`: list, add, import and export customers.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::Subcommand;
use serde_json::json;
use vardesk_core::CoreError;
use vardesk_store::customers::{ArchiveFilter, CustomerQuery};
use vardesk_store::Store;

use crate::commands::{ledger, moving_in};
use crate::print_json;

#[derive(Subcommand)]
pub(crate) enum CustomersCommand {
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
pub(crate) fn run(path: &Path, command: CustomersCommand) -> Result<(), CoreError> {
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
