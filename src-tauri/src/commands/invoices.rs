//! Invoices: the list, one invoice, issuing, payments, credit notes, the PDF and the
//! e-invoice, sending and printing.

use chrono::NaiveDate;
use tauri::State;
use vardesk_core::invoicing::CreditLineForm;
use vardesk_core::CoreError;
use vardesk_store::credits::{CreditOrder, FixedCreditForm};
use vardesk_store::invoices::{currency_totals, CurrencyTotal, InvoiceDetail, InvoiceRow};
use vardesk_store::today;

use crate::AppState;

#[derive(serde::Serialize, specta::Type)]
pub struct InvoiceList {
    invoices: Vec<InvoiceRow>,
    /// Invoiced and open per currency over the listed invoices.
    totals: Vec<CurrencyTotal>,
}

#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn list_invoices(
    state: State<'_, AppState>,
    status: Option<String>,
    search: Option<String>,
) -> Result<InvoiceList, CoreError> {
    state.with(|store| {
        let invoices = store.list_invoices(
            status.as_deref().filter(|s| !s.is_empty()),
            search.as_deref(),
            today(),
        )?;
        let totals = currency_totals(&invoices);
        Ok(InvoiceList { invoices, totals })
    })
}

#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn get_invoice(state: State<'_, AppState>, id: i64) -> Result<InvoiceDetail, CoreError> {
    state.with(|store| store.invoice(id, today()))
}

#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn issue_invoice(state: State<'_, AppState>, id: i64) -> Result<InvoiceRow, CoreError> {
    state.with(|store| store.issue_invoice(id, today()))
}

#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn record_payment(
    state: State<'_, AppState>,
    id: i64,
    amount: String,
    paid_on: String,
    method: String,
    reference: String,
) -> Result<InvoiceRow, CoreError> {
    let paid_on: NaiveDate = paid_on.trim().parse().map_err(|_| {
        CoreError::validation(
            "paid_on",
            format!("\"{}\" is not a date like 2026-12-31.", paid_on.trim()),
        )
    })?;
    state.with(|store| store.record_payment(id, &amount, paid_on, &method, &reference))
}

/// Cancels a wrongly recorded payment with a reversal entry (never an edit).
#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn reverse_payment(
    state: State<'_, AppState>,
    id: i64,
    payment_id: i64,
) -> Result<InvoiceRow, CoreError> {
    state.with(|store| store.reverse_payment(id, payment_id, today()))
}

fn invoice_pdf_bytes(state: &State<'_, AppState>, id: i64) -> Result<(String, Vec<u8>), CoreError> {
    state.with(|store| {
        let row = store.invoice_row(id, today())?;
        let bytes = vardesk_documents::views::invoice_pdf(store, id, today())?;
        let name = row
            .number
            .map_or_else(|| format!("Draft invoice {id}.pdf"), |n| format!("{n}.pdf"));
        Ok((name, bytes))
    })
}

#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn save_invoice_pdf(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    id: i64,
) -> Result<Option<String>, CoreError> {
    let (name, bytes) = invoice_pdf_bytes(&state, id)?;
    super::save_pdf(&app, "Save invoice as PDF", &name, &bytes)
}

/// Saves an issued invoice or credit note as an e-invoice (§9): Factur-X (the PDF/A-3 with
/// its XML inside) or the XML of XRechnung (CII or UBL) or Peppol BIS.
#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn save_einvoice(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    id: i64,
    format: String,
) -> Result<Option<String>, CoreError> {
    use vardesk_core::einvoice::Format;
    let format = Format::parse(&format).ok_or_else(|| {
        CoreError::validation(
            "format",
            format!("\"{format}\" is not an e-invoice format."),
        )
    })?;
    let (number, bytes) = state.with(|store| {
        let number = store.invoice_row(id, today())?.number.unwrap_or_default();
        let bytes = match format {
            Format::FacturX => vardesk_documents::views::invoice_facturx(store, id, today())?,
            f => store.einvoice_xml(id, f, today())?.into_bytes(),
        };
        Ok((number, bytes))
    })?;
    let (filter, name) = match format {
        Format::FacturX => (("PDF", "pdf"), format!("{number} (Factur-X).pdf")),
        f => (("XML", "xml"), format!("{number} ({}).xml", f.name())),
    };
    super::save_file(&app, "Save e-invoice", &name, filter, &bytes)
}

#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn open_invoice_pdf(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    id: i64,
) -> Result<String, CoreError> {
    let (name, bytes) = invoice_pdf_bytes(&state, id)?;
    super::open_pdf(&app, &name, &bytes)
}

/// Send…: the issued invoice or credit note as an e-mail draft in the mail app; recorded
/// as sent when the mail app took it.
#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn send_invoice(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    id: i64,
) -> Result<super::SendOutcome, CoreError> {
    super::send_mail(
        &app,
        &state,
        |store, now| vardesk_documents::mail::invoice_mail(store, id, today(), now),
        |store, to| store.record_sent(vardesk_store::sends::Document::Invoice(id), to),
    )
}

/// Credits an issued invoice (DOMAIN.md §6.1): the chosen lines and quantities and/or fixed
/// amounts per tax rate, or everything still open (`lines` and `amounts` absent), with the
/// reason printed on the note. Returns the credit note.
#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn credit_invoice(
    state: State<'_, AppState>,
    id: i64,
    lines: Option<Vec<CreditLineForm>>,
    amounts: Option<Vec<FixedCreditForm>>,
    reason: Option<String>,
) -> Result<InvoiceRow, CoreError> {
    let order = CreditOrder {
        everything: lines.is_none() && amounts.is_none(),
        lines: lines.as_deref().unwrap_or_default(),
        amounts: amounts.as_deref().unwrap_or_default(),
        reason: reason.as_deref().unwrap_or_default(),
    };
    state.with(|store| store.credit(id, &order, today()))
}

/// Sends the invoice's PDF to the system's printing.
#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn print_invoice(
    state: State<'_, AppState>,
    id: i64,
    printer: Option<String>,
    copies: Option<u32>,
) -> Result<String, CoreError> {
    let (name, bytes) = invoice_pdf_bytes(&state, id)?;
    super::print_pdf(&name, &bytes, printer, copies)
}
