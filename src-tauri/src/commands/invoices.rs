use chrono::NaiveDate;
use tauri::State;
use vardesk_core::CoreError;
use vardesk_store::invoices::{BillingRun, InvoiceDetail, InvoiceRow, SubscriptionRow};

use crate::AppState;

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

#[tauri::command(async)]
pub fn list_invoices(
    state: State<'_, AppState>,
    status: Option<String>,
) -> Result<Vec<InvoiceRow>, CoreError> {
    state.with(|store| store.list_invoices(status.as_deref().filter(|s| !s.is_empty()), today()))
}

#[tauri::command(async)]
pub fn get_invoice(state: State<'_, AppState>, id: i64) -> Result<InvoiceDetail, CoreError> {
    state.with(|store| store.invoice(id, today()))
}

/// What the month's run would create; nothing is written.
#[tauri::command(async)]
pub fn preview_billing_run(
    state: State<'_, AppState>,
    period: String,
) -> Result<BillingRun, CoreError> {
    state.with(|store| store.preview_billing_run(&period))
}

/// Creates the month's drafts in one transaction (and issues them when asked).
#[tauri::command(async)]
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
pub fn issue_invoice(state: State<'_, AppState>, id: i64) -> Result<InvoiceRow, CoreError> {
    state.with(|store| store.issue_invoice(id, today()))
}

#[tauri::command(async)]
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

#[tauri::command(async)]
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
pub fn save_invoice_pdf(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    id: i64,
) -> Result<Option<String>, CoreError> {
    let (name, bytes) = invoice_pdf_bytes(&state, id)?;
    super::save_pdf(&app, "Save invoice as PDF", &name, &bytes)
}

#[tauri::command(async)]
pub fn open_invoice_pdf(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    id: i64,
) -> Result<String, CoreError> {
    let (name, bytes) = invoice_pdf_bytes(&state, id)?;
    super::open_pdf(&app, &name, &bytes)
}

/// The home screen's figures.
#[tauri::command(async)]
pub fn dashboard(
    state: State<'_, AppState>,
) -> Result<vardesk_store::dashboard::Dashboard, CoreError> {
    state.with(|store| store.dashboard(today()))
}

/// Credits an issued invoice in full (a credit note; the invoice becomes void).
#[tauri::command(async)]
pub fn credit_invoice(state: State<'_, AppState>, id: i64) -> Result<InvoiceRow, CoreError> {
    state.with(|store| store.credit_invoice_in_full(id, today()))
}

/// Issues every draft invoice; returns how many were issued and what could not be.
#[tauri::command(async)]
pub fn issue_all_drafts(state: State<'_, AppState>) -> Result<(usize, Vec<String>), CoreError> {
    state.with(|store| {
        let (issued, problems) = store.issue_all_drafts(None, today())?;
        Ok((issued.len(), problems))
    })
}
