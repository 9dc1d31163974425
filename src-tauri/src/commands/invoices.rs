use chrono::NaiveDate;
use tauri::State;
use vardesk_core::invoicing::{CreditLineForm, DraftForm, SubscriptionForm};
use vardesk_core::lines::{doc_totals, DocTotals};
use vardesk_core::CoreError;
use vardesk_store::credits::{CreditOrder, FixedCreditForm};
use vardesk_store::invoices::{
    currency_totals, BillingRun, CurrencyTotal, InvoiceDetail, InvoiceRow,
};
use vardesk_store::subscriptions::SubscriptionRow;

use crate::AppState;

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

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

/// What the month's run would create. Licences whose term ended before the month renew (or
/// end) first (§10) — that happened whether or not the run is made; nothing else is written.
#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn preview_billing_run(
    state: State<'_, AppState>,
    period: String,
) -> Result<BillingRun, CoreError> {
    state.with(|store| {
        let month = vardesk_core::billing::Period::parse(&period)?;
        store.renew_licences(month.first_day())?;
        store.preview_billing_run(&period)
    })
}

/// Creates the month's drafts in one transaction (and issues them when asked).
#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn run_billing(
    state: State<'_, AppState>,
    period: String,
    issue: bool,
) -> Result<BillingRun, CoreError> {
    state.with(|store| {
        let run = store.run_billing(&period)?;
        if issue {
            let (_, problems) = store.issue_all_drafts(Some(&run.period), today())?;
            if !problems.is_empty() {
                return Err(CoreError::validation(
                    "issue",
                    format!(
                        "The drafts were created, but {} could not be issued: {}",
                        problems.len(),
                        problems.join(" ")
                    ),
                ));
            }
        }
        Ok(run)
    })
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

#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn list_subscriptions(state: State<'_, AppState>) -> Result<Vec<SubscriptionRow>, CoreError> {
    state.with(|store| store.list_subscriptions(today()))
}

fn invoice_pdf_bytes(state: &State<'_, AppState>, id: i64) -> Result<(String, Vec<u8>), CoreError> {
    state.with(|store| {
        let row = store.invoice_row(id, today())?;
        let bytes = vardesk_pdf::documents::invoice_pdf(store, id, today())?;
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
            Format::FacturX => vardesk_pdf::documents::invoice_facturx(store, id, today())?,
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
        |store, now| vardesk_pdf::mail::invoice_mail(store, id, today(), now),
        |store, to| store.record_sent(vardesk_store::sends::Document::Invoice(id), to),
    )
}

/// The month the billing dialog opens on: the earliest still to bill.
#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn first_month_to_bill(state: State<'_, AppState>) -> Result<Option<String>, CoreError> {
    state.with(|store| store.first_month_to_bill(today()))
}

/// The home screen's figures.
#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn dashboard(
    state: State<'_, AppState>,
) -> Result<vardesk_store::dashboard::Dashboard, CoreError> {
    state.with(|store| store.dashboard(today()))
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

/// A draft's line amounts and totals as typed, for the editor; nothing is written.
#[derive(serde::Serialize, specta::Type)]
pub struct DraftPreview {
    nets: Vec<rust_decimal::Decimal>,
    totals: DocTotals,
    tax_treatment: vardesk_core::treatment::TaxTreatment,
}

#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn preview_draft(
    state: State<'_, AppState>,
    form: DraftForm,
) -> Result<DraftPreview, CoreError> {
    let draft = form.validate()?;
    let (currency, tax) = state.with(|store| {
        Ok((
            store.customer(draft.customer_id)?.data.currency,
            store.customer_tax(draft.customer_id)?,
        ))
    })?;
    let lines: Vec<_> = draft.lines.into_iter().map(|l| l.line).collect();
    let totals = doc_totals(&tax.apply(&lines), currency)?;
    Ok(DraftPreview {
        nets: totals.line_amounts.clone(),
        totals,
        tax_treatment: tax.document_treatment(&lines),
    })
}

#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn create_draft(state: State<'_, AppState>, form: DraftForm) -> Result<i64, CoreError> {
    state.with(|store| store.create_draft(&form))
}

#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn save_draft(state: State<'_, AppState>, id: i64, form: DraftForm) -> Result<(), CoreError> {
    state.with(|store| store.save_draft(id, &form))
}

#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn delete_draft(state: State<'_, AppState>, id: i64) -> Result<(), CoreError> {
    state.with(|store| store.delete_draft(id))
}

#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn get_subscription(
    state: State<'_, AppState>,
    id: i64,
) -> Result<SubscriptionForm, CoreError> {
    state.with(|store| store.subscription_form(id))
}

/// Creates (`id` absent) or updates a subscription; its id and, for a licence, what its
/// seats did (§10).
#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn save_subscription(
    state: State<'_, AppState>,
    id: Option<i64>,
    form: SubscriptionForm,
) -> Result<vardesk_store::subscriptions::SavedSubscription, CoreError> {
    state.with(|store| store.save_subscription_on(id, &form, today()))
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

/// Issues the ticked draft invoices; returns how many were issued and what could not be.
#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn issue_drafts(
    state: State<'_, AppState>,
    ids: Vec<i64>,
) -> Result<(usize, Vec<String>), CoreError> {
    state.with(|store| {
        let (issued, problems) = store.issue_drafts(&ids, today())?;
        Ok((issued.len(), problems))
    })
}

/// What the ticked draft invoices add up to, per currency.
#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn draft_totals(
    state: State<'_, AppState>,
    ids: Vec<i64>,
) -> Result<Vec<CurrencyTotal>, CoreError> {
    state.with(|store| store.draft_totals(&ids, today()))
}
