//! `vardesk billing …` and `vardesk invoices …`: the monthly run, issuing, payments, credit
//! notes, PDFs and e-invoices.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::Subcommand;
use serde_json::{json, Value};
use vardesk_core::CoreError;
use vardesk_store::today;
use vardesk_store::Store;

use crate::commands::{ledger, moving_in};
use crate::{now, print_json, write_out};

#[derive(Subcommand)]
pub(crate) enum BillingCommand {
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
pub(crate) enum InvoicesCommand {
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

fn invoice_json(r: &vardesk_store::invoices::InvoiceRow) -> Value {
    json!({
        "id": r.id, "number": r.number, "kind": r.kind, "customer": r.customer,
        "customer_id": r.customer_id, "status": r.status, "issue_date": r.issue_date,
        "due_date": r.due_date, "total": r.currency.format_plain(r.total),
        "paid": r.currency.format_plain(r.paid), "balance": r.currency.format_plain(r.balance),
        "currency": r.currency.code(),
    })
}
pub(crate) fn billing(path: &Path, command: BillingCommand) -> Result<(), CoreError> {
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
    let mut names = vardesk_documents::export::FileNames::default();
    for (i, row) in rows.iter().enumerate() {
        let number = row.number.as_deref().unwrap_or_default();
        let files =
            vardesk_documents::export::document_files(store, row.id, number, &mut names, today())?;
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
pub(crate) fn invoices(path: &Path, command: InvoicesCommand) -> Result<(), CoreError> {
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
            let bytes = vardesk_documents::views::invoice_pdf(&store, id, today())?;
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
                &vardesk_documents::views::reminder_pdf(&store, reminder.id)?,
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
            let mail = vardesk_documents::mail::invoice_mail(&store, id, today(), now())?;
            write_out(&out, &mail.eml)?;
            store.record_sent(vardesk_store::sends::Document::Invoice(id), &mail.to)?;
            println!("Wrote the e-mail to {} as {}.", mail.to, out.display());
            Ok(())
        }
        InvoicesCommand::Einvoice { id, format, out } => {
            use vardesk_core::einvoice::Format;
            let bytes = match Format::parse(&format) {
                Some(Format::FacturX) => {
                    vardesk_documents::views::invoice_facturx(&store, id, today())?
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
