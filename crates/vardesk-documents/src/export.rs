//! "Export everything": the whole book in one ZIP, for an accountant or for leaving
//! VarDesk: customers, quotes, invoices, payments and subscriptions as CSV (UTF-8 with BOM,
//! a header, `.` as the decimal mark) and every issued invoice and credit note as its PDF.

use std::io::{Seek, Write};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use vardesk_core::textfile::csv_text_cell;
use vardesk_core::{CoreError, Currency};
use vardesk_store::quotes::QuoteQuery;
use vardesk_store::Store;
use zip::write::SimpleFileOptions;

use crate::views::invoice_pdf;

/// A document number as the name of its PDF (`vardesk_core::format::file_name`).
pub fn pdf_file_name(number: &str) -> String {
    format!("{}.pdf", vardesk_core::format::file_name(number))
}

/// An issued document's files for an archive or a folder: its PDF and, beside it under the
/// same name, its EN 16931 e-invoice (CII, as embedded in Factur-X), so an accountant's or a
/// customer's system can read the figures.
pub fn document_files(
    store: &Store,
    id: i64,
    number: &str,
    names: &mut FileNames,
    today: chrono::NaiveDate,
) -> Result<[(String, Vec<u8>); 2], CoreError> {
    let pdf_name = names.unique(&pdf_file_name(number));
    let xml_name = names.unique(&format!(
        "{}.xml",
        pdf_name.strip_suffix(".pdf").unwrap_or(&pdf_name)
    ));
    let pdf = invoice_pdf(store, id, today)?;
    let xml = vardesk_core::einvoice::Format::FacturX.write(&store.einvoice(id, today)?)?;
    Ok([(pdf_name, pdf), (xml_name, xml.into_bytes())])
}

/// File names handed out once each: two numbers that clean up to the same name (`RE/1` and
/// `RE-1`) get `RE-1.pdf` and `RE-1-2.pdf`, compared without case as Windows and macOS do.
#[derive(Default)]
pub struct FileNames(std::collections::HashSet<String>);

impl FileNames {
    pub fn unique(&mut self, name: &str) -> String {
        let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
        let dot = if ext.is_empty() { "" } else { "." };
        let mut candidate = name.to_string();
        let mut n = 2;
        while !self.0.insert(candidate.to_lowercase()) {
            candidate = format!("{stem}-{n}{dot}{ext}");
            n += 1;
        }
        candidate
    }
}

/// What went into the archive.
#[derive(Debug, Clone, PartialEq, serde::Serialize, specta::Type)]
pub struct ExportSummary {
    pub customers: usize,
    pub quotes: usize,
    pub invoices: usize,
    pub payments: usize,
    pub subscriptions: usize,
    pub pdfs: usize,
}

fn failed(e: impl std::fmt::Display) -> CoreError {
    CoreError::validation("file", format!("The export could not be written: {e}."))
}

/// A CSV file with a BOM and a header.
fn csv_bytes(header: &[&str], rows: Vec<Vec<String>>) -> Result<Vec<u8>, CoreError> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::Writer::from_writer(&mut out);
        w.write_record(header).map_err(failed)?;
        for row in rows {
            let cells = row.iter().map(|cell| csv_text_cell(cell));
            w.write_record(cells).map_err(failed)?;
        }
        w.flush().map_err(failed)?;
    }
    Ok(out)
}

fn money(c: Currency, d: Decimal) -> String {
    c.format_plain(d)
}

/// Writes the archive. `progress` is told (done, total) as the PDFs are made.
pub fn export_everything<W: Write + Seek>(
    store: &Store,
    today: NaiveDate,
    out: W,
    mut progress: impl FnMut(usize, usize),
) -> Result<ExportSummary, CoreError> {
    let mut zip = zip::ZipWriter::new(out);
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let add = |zip: &mut zip::ZipWriter<W>, name: &str, bytes: &[u8]| -> Result<(), CoreError> {
        zip.start_file(name, options).map_err(failed)?;
        zip.write_all(bytes).map_err(failed)
    };

    let customers = store.export_customers()?;
    let customer_count: i64 = store
        .conn()
        .query_row("SELECT count(*) FROM customers", [], |r| r.get(0))
        .map_err(failed)?;
    let customer_count = customer_count as usize;
    add(&mut zip, "customers.csv", &customers)?;

    let quotes = store.list_quotes(&QuoteQuery::default(), today)?;
    let rows = quotes
        .iter()
        .map(|q| {
            vec![
                q.number.clone(),
                q.version.to_string(),
                q.customer.clone(),
                q.title.clone(),
                q.status.to_string(),
                q.currency.code().to_string(),
                q.quote_date.clone(),
                q.valid_until.clone(),
                q.win_probability_percent.normalize().to_string(),
                money(q.currency, q.one_time),
                money(q.currency, q.monthly),
                money(q.currency, q.annual),
                money(q.currency, q.first_year),
            ]
        })
        .collect();
    add(
        &mut zip,
        "quotes.csv",
        &csv_bytes(
            &[
                "number",
                "version",
                "customer",
                "title",
                "status",
                "currency",
                "quote_date",
                "valid_until",
                "win_probability_percent",
                "one_time",
                "monthly",
                "annual",
                "first_year",
            ],
            rows,
        )?,
    )?;

    let invoices = store.list_invoices(None, None, today)?;
    let rows = invoices
        .iter()
        .map(|i| {
            vec![
                i.number.clone().unwrap_or_default(),
                i.kind.to_string(),
                i.credits.clone().unwrap_or_default(),
                i.customer.clone(),
                i.status.to_string(),
                i.issue_date.clone().unwrap_or_default(),
                i.due_date.clone().unwrap_or_default(),
                i.currency.code().to_string(),
                money(i.currency, i.total),
                money(i.currency, i.paid),
                money(i.currency, i.credited),
                money(i.currency, i.balance),
            ]
        })
        .collect();
    add(
        &mut zip,
        "invoices.csv",
        &csv_bytes(
            &[
                "number",
                "kind",
                "credits",
                "customer",
                "status",
                "issue_date",
                "due_date",
                "currency",
                "total",
                "paid",
                "credited",
                "balance",
            ],
            rows,
        )?,
    )?;

    let payments = store.list_payments()?;
    let rows = payments
        .iter()
        .map(|p| {
            vec![
                p.invoice.clone(),
                p.customer.clone(),
                p.paid_on.clone(),
                p.currency.code().to_string(),
                money(p.currency, p.amount),
                p.method.clone(),
                p.reference.clone(),
            ]
        })
        .collect();
    add(
        &mut zip,
        "payments.csv",
        &csv_bytes(
            &[
                "invoice",
                "customer",
                "paid_on",
                "currency",
                "amount",
                "method",
                "reference",
            ],
            rows,
        )?,
    )?;

    let subscriptions = store.list_subscriptions(today)?;
    let rows = subscriptions
        .iter()
        .map(|s| {
            vec![
                s.customer.clone(),
                s.description.clone(),
                s.currency.code().to_string(),
                s.quantity.normalize().to_string(),
                s.unit.clone(),
                s.unit_price.normalize().to_string(),
                s.discount_percent.normalize().to_string(),
                s.interval.to_string(),
                s.start_date.clone(),
                s.end_date.clone().unwrap_or_default(),
                money(s.currency, s.amount),
                s.last_billed.clone().unwrap_or_default(),
            ]
        })
        .collect();
    add(
        &mut zip,
        "subscriptions.csv",
        &csv_bytes(
            &[
                "customer",
                "description",
                "currency",
                "quantity",
                "unit",
                "unit_price",
                "discount_percent",
                "interval",
                "start_date",
                "end_date",
                "amount_per_interval",
                "last_billed",
            ],
            rows,
        )?,
    )?;

    let issued: Vec<_> = invoices.iter().filter(|i| i.number.is_some()).collect();
    let mut names = FileNames::default();
    for (n, invoice) in issued.iter().enumerate() {
        let number = invoice.number.as_deref().unwrap_or_default();
        for (name, bytes) in document_files(store, invoice.id, number, &mut names, today)? {
            add(&mut zip, &format!("documents/{name}"), &bytes)?;
        }
        progress(n + 1, issued.len());
    }
    zip.finish().map_err(failed)?;
    Ok(ExportSummary {
        customers: customer_count,
        quotes: quotes.len(),
        invoices: invoices.len(),
        payments: payments.len(),
        subscriptions: subscriptions.len(),
        pdfs: issued.len(),
    })
}
