//! `vardesk quotes …`: list quotes, their PDFs, and accepting them.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::Subcommand;
use serde_json::{json, Value};
use vardesk_core::CoreError;
use vardesk_store::today;
use vardesk_store::Store;

use crate::{now, print_json, write_out};

#[derive(Subcommand)]
pub(crate) enum QuotesCommand {
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
pub(crate) fn run(path: &Path, command: QuotesCommand) -> Result<(), CoreError> {
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
            let bytes = vardesk_documents::views::quote_pdf(&store, &quote)?;
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
            let mail = vardesk_documents::mail::quote_mail(&store, id, today(), now())?;
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
