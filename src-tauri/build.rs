//! Every app command gets a generated `allow-<command>` permission, so the page can call
//! only the commands that capabilities/default.json grants.

/// Keep in step with `generate_handler!` in src/lib.rs.
const COMMANDS: &[&str] = &[
    "app_status",
    "get_settings",
    "save_settings",
    "answer_sample_data",
    "list_customers",
    "get_customer",
    "create_customer",
    "update_customer",
    "set_customer_archived",
    "preview_customer_import",
    "import_customers",
    "export_customers",
    "list_catalog",
    "save_catalog_item",
    "list_quotes",
    "new_quote",
    "evaluate_quote",
    "save_quote",
    "get_quote",
    "quote_action",
    "accept_quote",
    "preview_inventory",
    "save_quote_pdf",
    "open_quote_pdf",
    "get_logo",
    "set_logo",
    "list_invoices",
    "get_invoice",
    "preview_billing_run",
    "run_billing",
    "issue_invoice",
    "record_payment",
    "list_subscriptions",
    "save_invoice_pdf",
    "open_invoice_pdf",
    "dashboard",
    "credit_invoice",
    "issue_all_drafts",
    "preview_draft",
    "create_draft",
    "save_draft",
    "delete_draft",
    "get_subscription",
    "save_subscription",
    "print_invoice",
    "projection_setup",
    "run_projection",
    "save_scenario",
    "delete_scenario",
    "set_default_scenario",
    "export_projection_csv",
    "save_projection_pdf",
    "open_projection_pdf",
    "print_projection",
];

fn main() {
    // The UI is embedded at compile time: rebuild when its bundle changes.
    println!("cargo:rerun-if-changed=../ui/dist");
    let manifest = tauri_build::AppManifest::new().commands(COMMANDS);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("failed to run the Tauri build script");
}
