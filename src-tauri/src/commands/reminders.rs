//! Payment reminders: who can be reminded, the letter previewed, written, saved or sent.

use tauri::State;
use vardesk_core::money::parse_typed_decimal;
use vardesk_core::reminder::ReminderPlan;
use vardesk_core::{CoreError, Currency};
use vardesk_store::reminders::{Remindable, Reminder};
use vardesk_store::today;

use crate::AppState;

#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn remindable(state: State<'_, AppState>) -> Result<Vec<Remindable>, CoreError> {
    state.with(|store| store.remindable(today()))
}

/// The letter as it would be written now (fee and yearly interest rate as typed).
#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn preview_reminder(
    state: State<'_, AppState>,
    customer_id: i64,
    currency: String,
    fee: String,
    interest: String,
) -> Result<ReminderPlan, CoreError> {
    let (currency, fee, interest) = terms(&currency, &fee, &interest)?;
    state.with(|store| store.preview_reminder(customer_id, currency, fee, interest, today()))
}

#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn create_reminder(
    state: State<'_, AppState>,
    customer_id: i64,
    currency: String,
    fee: String,
    interest: String,
) -> Result<Reminder, CoreError> {
    let (currency, fee, interest) = terms(&currency, &fee, &interest)?;
    state.with(|store| store.create_reminder(customer_id, currency, fee, interest, today()))
}

fn terms(
    currency: &str,
    fee: &str,
    interest: &str,
) -> Result<(Currency, rust_decimal::Decimal, rust_decimal::Decimal), CoreError> {
    let number = |field: &str, text: &str| {
        if text.trim().is_empty() {
            Ok(rust_decimal::Decimal::ZERO)
        } else {
            parse_typed_decimal(field, text)
        }
    };
    Ok((
        Currency::parse(currency)?,
        number("fee", fee)?,
        number("interest_percent", interest)?,
    ))
}

/// The letter saved where the user chooses; `None` if cancelled.
#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn save_reminder_pdf(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    id: i64,
) -> Result<Option<String>, CoreError> {
    let (bytes, date) = state.with(|store| {
        Ok((
            vardesk_documents::views::reminder_pdf(store, id)?,
            store.reminder(id)?.plan.date,
        ))
    })?;
    super::save_pdf(
        &app,
        "Save reminder as PDF",
        &format!("Reminder {date}.pdf"),
        &bytes,
    )
}

/// The letter as an e-mail draft to the customer, opened in the mail app.
#[tauri::command(async)]
#[specta::specta]
#[tracing::instrument(skip_all, err(level = "warn"))]
pub fn send_reminder(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    id: i64,
) -> Result<super::SendOutcome, CoreError> {
    // A reminder is its own record: nothing more to note once it is sent.
    super::send_mail(
        &app,
        &state,
        |store, now| vardesk_documents::mail::reminder_mail(store, id, now),
        |_, _| Ok(()),
    )
}
