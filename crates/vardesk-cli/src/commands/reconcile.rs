//! `vardesk reconcile FILE`: the distributor's bill against the books (DOMAIN.md §10,
//! CLI.md). Reads; changes nothing (but a mapping asked to be saved).

use std::path::Path;

use serde_json::json;
use vardesk_core::reconcile::{FindingKind, Reconciliation};
use vardesk_core::CoreError;
use vardesk_store::Store;

use crate::moving_in::MappingArgs;

pub fn run(
    db: &Path,
    file: &Path,
    mapping: &MappingArgs,
    (csv, pdf): (Option<&Path>, Option<&Path>),
    json: bool,
) -> Result<(), CoreError> {
    let mut store = Store::open(db)?;
    let request = mapping.request()?;
    let open = || {
        std::fs::File::open(file).map_err(|e| {
            CoreError::validation("file", format!("{} cannot be read: {e}.", file.display()))
        })
    };
    let result = store.reconcile_bill(open, &request, crate::today())?;
    if let Some(why) = &result.summary.mapping_error {
        return Err(CoreError::validation("mapping", why.clone()));
    }
    if let Some(path) = csv {
        std::fs::write(path, vardesk_core::reconcile::report_csv(&result)).map_err(|e| {
            CoreError::validation("csv", format!("{} cannot be written: {e}.", path.display()))
        })?;
    }
    if let Some(path) = pdf {
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let settings = store.require_settings()?;
        let bytes = vardesk_pdf::reconciliation::reconciliation_pdf(
            &settings,
            &result,
            &name,
            crate::today(),
        );
        std::fs::write(path, bytes).map_err(|e| {
            CoreError::validation("pdf", format!("{} cannot be written: {e}.", path.display()))
        })?;
    }
    if json {
        crate::print_json(&json!({
            "period": result.period,
            "findings": result.findings.iter().map(|f| json!({
                "kind": f.kind, "customer_id": f.customer_id, "customer": f.customer,
                "subscription_id": f.subscription_id, "ms_subscription_id": f.ms_subscription_id,
                "sku": f.sku, "description": f.description,
                "quantity": f.quantity.normalize().to_string(),
                "amount": f.amount.to_string(), "currency": f.currency,
                "line": f.line, "fix": f.fix,
            })).collect::<Vec<_>>(),
            "customers": result.customers.iter().map(|c| json!({
                "customer_id": c.customer_id, "customer": c.customer, "currency": c.currency,
                "billed": c.billed.to_string(), "cost": c.cost.to_string(),
                "margin": c.margin.to_string(),
            })).collect::<Vec<_>>(),
            "totals": result.totals.iter().map(|c| json!({
                "currency": c.currency, "billed": c.billed.to_string(),
                "cost": c.cost.to_string(), "margin": c.margin.to_string(),
            })).collect::<Vec<_>>(),
            "charges": result.groups, "matched": result.matched,
            "rows": result.summary.rows, "valid": result.summary.valid,
            "errors": result.summary.errors,
            "errors_not_shown": result.summary.errors_not_shown,
            "mapping_name": result.summary.mapping_name,
        }));
    } else {
        print_text(&result);
    }
    Ok(())
}

fn print_text(r: &Reconciliation) {
    println!(
        "Bill for {}: {} line(s), {} subscription charge(s), {} matched.",
        r.period, r.summary.rows, r.groups, r.matched
    );
    for e in &r.summary.errors {
        println!("line {}: {}", e.line, e.reason);
    }
    if r.findings.is_empty() {
        println!("Every charge matches what you bill.");
    }
    for f in &r.findings {
        let what = match f.kind {
            FindingKind::UnbilledSeats => format!(
                "{} seat(s) on the bill not billed to the customer ({} {} on this bill)",
                f.quantity.normalize(),
                f.amount,
                f.currency
            ),
            FindingKind::BilledNotBought => format!(
                "{} seat(s) billed to the customer and not on the bill",
                f.quantity.normalize()
            ),
            FindingKind::CostDiffers => format!(
                "the bill's unit cost is {} {}, not the subscription's",
                f.amount, f.currency
            ),
            FindingKind::UnmatchedCharge => format!(
                "no subscription matches this charge: {} seat(s), {} {}",
                f.quantity.normalize(),
                f.amount,
                f.currency
            ),
        };
        let sub = f
            .subscription_id
            .map(|id| format!(" (subscription {id})"))
            .unwrap_or_default();
        println!("{} · {}{}: {what}.", f.customer, f.description, sub);
    }
    if !r.customers.is_empty() {
        println!("\nMargin this month:");
    }
    for c in &r.customers {
        println!(
            "  {:<36} billed {:>12} cost {:>12} margin {:>12} {}",
            c.customer, c.billed, c.cost, c.margin, c.currency
        );
    }
    for t in &r.totals {
        println!(
            "  {:<36} billed {:>12} cost {:>12} margin {:>12} {}",
            "Total", t.billed, t.cost, t.margin, t.currency
        );
    }
}
