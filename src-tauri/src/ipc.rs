//! The commands the window may call, each listed once here. Those with typed arguments
//! are described to TypeScript: `ui/src/bindings.ts` is generated from their Rust
//! signatures by tauri-specta (`commands.listInvoices(…)` in the UI). Those that take a file
//! as the raw request body, or reply with raw bytes, cannot be described (their argument is
//! the request itself): the UI calls them by name with `call<T>` (ui/src/api.ts), `T` still
//! a generated type. build.rs reads both lists: each command gets its permission from them.

use specta_typescript::Typescript;
use tauri::ipc::Invoke;
use tauri_specta::{collect_commands, Builder, ErrorHandlingMode};

use crate::commands;

/// The commands with typed arguments, and the types the raw commands reply with.
pub fn typed() -> Builder<tauri::Wry> {
    Builder::<tauri::Wry>::new()
        .commands(collect_commands![
            commands::settings::app_status,
            commands::settings::get_settings,
            commands::settings::save_settings,
            commands::settings::answer_sample_data,
            commands::settings::open_sample_books,
            commands::settings::close_sample_books,
            commands::customers::list_customers,
            commands::customers::get_customer,
            commands::customers::customer_overview,
            commands::customers::create_customer,
            commands::customers::update_customer,
            commands::customers::set_customer_archived,
            commands::licences::apply_reconcile_fix,
            commands::licences::licence_renewals,
            commands::licences::schedule_renewal,
            commands::moving_in::import_fields,
            commands::moving_in::moving_in_steps,
            commands::moving_in::record_moving_in_step,
            commands::settings::number_series,
            commands::settings::continue_series,
            commands::customers::export_customers,
            commands::catalog::list_catalog,
            commands::catalog::save_catalog_item,
            commands::quotes::list_quotes,
            commands::quotes::new_quote,
            commands::quotes::evaluate_quote,
            commands::quotes::save_quote,
            commands::quotes::get_quote,
            commands::quotes::quote_action,
            commands::quotes::accept_quote,
            commands::quotes::save_quote_pdf,
            commands::quotes::open_quote_pdf,
            commands::invoices::list_invoices,
            commands::invoices::get_invoice,
            commands::billing::preview_billing_run,
            commands::billing::run_billing,
            commands::invoices::issue_invoice,
            commands::invoices::record_payment,
            commands::invoices::reverse_payment,
            commands::subscriptions::list_subscriptions,
            commands::invoices::save_invoice_pdf,
            commands::invoices::open_invoice_pdf,
            commands::invoices::save_einvoice,
            commands::dashboard::dashboard,
            commands::invoices::credit_invoice,
            commands::drafts::issue_drafts,
            commands::invoices::send_invoice,
            commands::billing::first_month_to_bill,
            commands::reminders::remindable,
            commands::reminders::preview_reminder,
            commands::reminders::create_reminder,
            commands::reminders::save_reminder_pdf,
            commands::reminders::send_reminder,
            commands::quotes::send_quote,
            commands::quotes::print_quote,
            commands::printers,
            commands::drafts::draft_totals,
            commands::drafts::preview_draft,
            commands::drafts::create_draft,
            commands::drafts::save_draft,
            commands::drafts::delete_draft,
            commands::subscriptions::get_subscription,
            commands::subscriptions::save_subscription,
            commands::invoices::print_invoice,
            commands::projection::projection_setup,
            commands::projection::run_projection,
            commands::projection::save_scenario,
            commands::projection::delete_scenario,
            commands::projection::set_default_scenario,
            commands::projection::export_projection_csv,
            commands::projection::save_projection_pdf,
            commands::projection::open_projection_pdf,
            commands::projection::print_projection,
            commands::backups::backup_status,
            commands::backups::back_up_now,
            commands::backups::save_backup_settings,
            commands::backups::choose_backup_folder,
            commands::backups::check_backup_file,
            commands::backups::pick_backup_file,
            commands::backups::restore_backup,
            commands::startup::startup_problem,
            commands::startup::recover_from_backup,
            commands::startup::quit_app,
            commands::startup::window_ready,
            commands::backups::export_everything,
            commands::startup::take_opened_backup,
            commands::about::about,
            commands::about::third_party_licences,
            commands::about::show_in_folder,
        ])
        // What the raw commands reply with (their wrappers in ui/src/raw.ts use them).
        .typ::<vardesk_core::CoreError>()
        .typ::<vardesk_core::mapping::MappingRequest>()
        .typ::<vardesk_core::customer::ImportPreview>()
        .typ::<vardesk_store::customers::ImportOutcome>()
        .typ::<vardesk_core::reconcile::Reconciliation>()
        .typ::<vardesk_store::price_list::PriceListPreview>()
        .typ::<vardesk_store::price_list::PriceListOutcome>()
        .typ::<vardesk_core::open_invoices::OpenInvoicePreview>()
        .typ::<vardesk_store::imports::OpenInvoiceOutcome>()
        .typ::<vardesk_core::subscription_import::SubscriptionImportPreview>()
        .typ::<vardesk_store::imports::SubscriptionImportOutcome>()
        .typ::<vardesk_core::inventory::Inventory>()
        // Rejections become `ApiError` in one place (ui/src/api.ts), so the wrappers throw.
        .error_handling(ErrorHandlingMode::Throw)
        // Ids and counts are far below 2^53.
        .dangerously_cast_bigints_to_number()
}

// `RAW_COMMANDS`: the names in `raw_handler`, read from this file by build.rs, to route them.
include!(concat!(env!("OUT_DIR"), "/raw_commands.rs"));

fn raw_handler() -> impl Fn(Invoke) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        commands::licences::sample_price_list,
        commands::licences::sample_distributor_bill,
        commands::settings::get_logo,
        commands::settings::set_logo,
        commands::customers::preview_customer_import,
        commands::customers::import_customers,
        commands::licences::reconcile_bill,
        commands::licences::export_reconciliation_csv,
        commands::licences::preview_price_list,
        commands::licences::import_price_list,
        commands::licences::save_reconciliation_pdf,
        commands::moving_in::preview_open_invoice_import,
        commands::moving_in::import_open_invoices,
        commands::moving_in::preview_subscription_import,
        commands::moving_in::import_subscriptions,
        commands::quotes::preview_inventory,
    ]
}

/// One handler for both kinds.
pub fn invoke_handler() -> impl Fn(Invoke) -> bool + Send + Sync + 'static {
    // tauri-specta's handler borrows its builder for as long as the app runs.
    static BUILDER: std::sync::LazyLock<Builder<tauri::Wry>> = std::sync::LazyLock::new(typed);
    let typed = BUILDER.invoke_handler();
    let raw = raw_handler();
    move |invoke| {
        if RAW_COMMANDS.contains(&invoke.message.command()) {
            raw(invoke)
        } else {
            typed(invoke)
        }
    }
}

/// The TypeScript the UI is type-checked against.
pub fn bindings() -> Result<String, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let path = dir.path().join("bindings.ts");
    typed()
        .export(
            Typescript::default().header("// Generated from the Rust command signatures by `cargo test -p vardesk-desktop --test bindings` (VARDESK_WRITE_BINDINGS=1 rewrites it). Do not edit.\n"),
            &path,
        )
        .map_err(|e| e.to_string())?;
    let text = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
    Ok(by_direction(&text))
}

/// tauri-specta names a type that reads differently from what it writes `X_Serialize`
/// (what a command replies: every field there) and `X_Deserialize` (what a command
/// accepts: fields with a default may be left out), plus a union `X` of both that nothing
/// should use. The UI gets `X` for the reply and `XInput` for the argument.
fn by_direction(text: &str) -> String {
    let mut kept: Vec<&str> = Vec::new();
    for line in text.lines() {
        let union = line
            .strip_prefix("export type ")
            .and_then(|rest| rest.split_once(" = "))
            .is_some_and(|(name, body)| body == format!("{name}_Serialize | {name}_Deserialize;"));
        if union {
            // Its doc comment goes with it (each direction repeats it).
            if kept
                .last()
                .is_some_and(|l| l.trim_start().starts_with("/**"))
            {
                kept.pop();
            } else if kept.last().is_some_and(|l| l.trim_end().ends_with("*/")) {
                while let Some(l) = kept.pop() {
                    if l.trim_start().starts_with("/**") {
                        break;
                    }
                }
            }
            continue;
        }
        // One blank line between types, also where a union was left out.
        if line.is_empty() && kept.last().is_some_and(|l| l.is_empty()) {
            continue;
        }
        kept.push(line);
    }
    let mut out = kept
        .join("\n")
        .replace("_Serialize", "")
        .replace("_Deserialize", "Input");
    out.push('\n');
    out
}
