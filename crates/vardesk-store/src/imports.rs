//! Moving in (DOMAIN.md §11): open invoices and running subscriptions from the previous
//! tool, previewed then applied in one transaction or not at all.

use std::collections::{BTreeMap, HashSet};

use rusqlite::params;
use serde::Serialize;
use vardesk_core::mapping::{ImportKind, MappingRequest};
use vardesk_core::open_invoices::{
    parse_open_invoices_csv, KnownCustomer, OpenInvoiceContext, OpenInvoicePreview,
};
use vardesk_core::subscription_import::{parse_subscriptions_csv, SubscriptionImportPreview};
use vardesk_core::CoreError;

use crate::subscriptions::{insert_subscription, NewSubscription};
use crate::{now, DbResult, Result, Store};

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct OpenInvoiceOutcome {
    #[serde(flatten)]
    pub preview: OpenInvoicePreview,
    pub imported: u32,
}

/// An import applies only a clean preview: a mapping that can be imported and no row error.
pub(crate) fn refuse_unless_clean(
    mapping_error: &Option<String>,
    errors: &[vardesk_core::customer::ImportRowError],
    count: usize,
) -> Result<()> {
    if let Some(why) = mapping_error {
        return Err(CoreError::validation("mapping", why.clone()));
    }
    if let Some(first) = errors.first() {
        return Err(CoreError::validation(
            "file",
            format!(
                "Nothing was imported: {count} row error(s), the first on line {}: {}.",
                first.line, first.reason
            ),
        ));
    }
    Ok(())
}

impl Store {
    pub(crate) fn known_customers(&self) -> Result<Vec<KnownCustomer>> {
        let rows = crate::all_rows::<(i64, String, String, u32, String)>(
            self.conn(),
            "SELECT id, name, currency, payment_terms_days, buyer_reference FROM customers
             WHERE archived_at IS NULL ORDER BY id",
            [],
        )?;
        Ok(rows
            .into_iter()
            .filter_map(|(id, name, currency, terms, buyer_reference)| {
                Some(KnownCustomer {
                    id,
                    name,
                    currency: vardesk_core::Currency::parse(&currency).ok()?,
                    payment_terms_days: terms,
                    buyer_reference,
                })
            })
            .collect())
    }

    /// What importing this open-invoice export would do; nothing is written.
    pub fn preview_open_invoice_import(
        &self,
        bytes: &[u8],
        request: &MappingRequest,
    ) -> Result<OpenInvoicePreview> {
        let settings = self.require_settings()?;
        let headers = crate::mappings::file_headers(bytes)?;
        let chosen = self.mapping_choices(ImportKind::OpenInvoices, &headers, request)?;
        let customers = self.known_customers()?;
        let existing: HashSet<String> = crate::all_rows::<(String,)>(
            self.conn(),
            "SELECT number FROM invoices WHERE number IS NOT NULL",
            [],
        )?
        .into_iter()
        .map(|(n,)| n)
        .collect();
        let template = settings.invoice_number_template.clone();
        let taken: BTreeMap<i32, u64> = crate::all_rows::<(i32, i64)>(
            self.conn(),
            "SELECT year, last_value FROM number_sequences WHERE name = 'invoice'",
            [],
        )?
        .into_iter()
        .map(|(y, v)| (y, u64::try_from(v).unwrap_or(0)))
        .collect();
        let ctx = OpenInvoiceContext {
            customers: &customers,
            existing_numbers: &existing,
            template: &template,
            taken: &taken,
            month_first: settings.locale == "en-US",
        };
        let mut preview = parse_open_invoices_csv(bytes, &chosen.choices, &ctx)?;
        preview.summary.mapping_name = chosen.saved;
        Ok(preview)
    }

    /// Imports every open invoice in one transaction, or nothing when a row has an error:
    /// each becomes an issued, read-only document with the old tool's number, and what was
    /// paid there a payment "paid in the previous system".
    pub fn import_open_invoices(
        &mut self,
        bytes: &[u8],
        request: &MappingRequest,
    ) -> Result<OpenInvoiceOutcome> {
        let preview = self.preview_open_invoice_import(bytes, request)?;
        refuse_unless_clean(
            &preview.summary.mapping_error,
            &preview.summary.errors,
            preview.summary.error_count(),
        )?;
        let settings = self.require_settings()?;
        let company = crate::settings::company_snapshot(&settings).to_string();
        let imported = self.write(|tx| {
            let stamp = now();
            for inv in &preview.invoices {
                let (snapshot, _, _) = crate::invoices::customer_snapshot(tx, inv.customer_id)?;
                tx.execute(
                    "INSERT INTO invoices (customer_id, status, currency, notes, created_at,
                        updated_at, imported)
                     VALUES (?1, 'draft', ?2, '', ?3, ?3, 1)",
                    params![inv.customer_id, inv.currency.code(), stamp],
                )
                .db()?;
                let id = tx.last_insert_rowid();
                let total = inv.currency.to_minor(inv.total)?;
                tx.execute(
                    "UPDATE invoices SET status = 'issued', number = ?2, issue_date = ?3,
                        due_date = ?4, customer_snapshot = ?5, company_snapshot = ?6,
                        subtotal_minor = ?7, tax_minor = 0, total_minor = ?7, updated_at = ?8
                     WHERE id = ?1",
                    params![
                        id,
                        inv.number,
                        inv.issue_date.to_string(),
                        inv.due_date.to_string(),
                        snapshot.to_string(),
                        company,
                        total,
                        stamp
                    ],
                )
                .db()?;
                let paid = inv.currency.to_minor(inv.total - inv.open)?;
                if paid > 0 {
                    tx.execute(
                        "INSERT INTO payments (invoice_id, amount_minor, paid_on, method,
                            reference, created_at)
                         VALUES (?1, ?2, ?3, 'previous system', 'paid before moving to VarDesk', ?4)",
                        params![id, paid, inv.issue_date.to_string(), stamp],
                    )
                    .db()?;
                }
            }
            Ok(preview.invoices.len() as u32)
        })?;
        self.remember_mapping(ImportKind::OpenInvoices, bytes, request)?;
        Ok(OpenInvoiceOutcome { preview, imported })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct SubscriptionImportOutcome {
    #[serde(flatten)]
    pub preview: SubscriptionImportPreview,
    pub imported: u32,
}

impl Store {
    /// What importing this running-subscriptions export would do; nothing is written.
    pub fn preview_subscription_import(
        &self,
        bytes: &[u8],
        request: &MappingRequest,
        today: chrono::NaiveDate,
    ) -> Result<SubscriptionImportPreview> {
        let settings = self.require_settings()?;
        let headers = crate::mappings::file_headers(bytes)?;
        let chosen = self.mapping_choices(ImportKind::Subscriptions, &headers, request)?;
        let mut preview = parse_subscriptions_csv(
            bytes,
            &chosen.choices,
            &self.known_customers()?,
            &settings.default_tax_rate_percent.normalize().to_string(),
            settings.locale == "en-US",
            today,
        )?;
        preview.summary.mapping_name = chosen.saved;
        Ok(preview)
    }

    /// Imports every running subscription in one transaction, or none when a row has an
    /// error; each bills first in its `bill_from` month.
    pub fn import_subscriptions(
        &mut self,
        bytes: &[u8],
        request: &MappingRequest,
        today: chrono::NaiveDate,
    ) -> Result<SubscriptionImportOutcome> {
        let preview = self.preview_subscription_import(bytes, request, today)?;
        refuse_unless_clean(
            &preview.summary.mapping_error,
            &preview.summary.errors,
            preview.summary.error_count(),
        )?;
        let currencies: std::collections::HashMap<i64, String> = self
            .known_customers()?
            .into_iter()
            .map(|c| (c.id, c.currency.code().to_string()))
            .collect();
        let imported = self.write(|tx| {
            for sub in &preview.subscriptions {
                let d = &sub.data;
                let id = insert_subscription(
                    tx,
                    NewSubscription {
                        customer_id: d.customer_id,
                        quote_id: None,
                        catalog_item_id: None,
                        line: &d.line,
                        currency: currencies.get(&d.customer_id).ok_or_else(|| {
                            CoreError::new(
                                vardesk_core::ErrorCode::NotFound,
                                format!("Customer {} does not exist.", d.customer_id),
                            )
                        })?,
                        interval: d.interval.as_str(),
                        start_date: d.start_date.to_string(),
                        end_date: d.end_date.map(|e| e.to_string()),
                        // The old tool billed every month before this one (§11).
                        bill_from: Some(sub.bill_from.first_day().to_string()),
                    },
                )?;
                // A running Microsoft licence keeps its term and ids (§10).
                crate::subscriptions::save_licence(
                    tx,
                    id,
                    d.customer_id,
                    d.start_date,
                    d.licence.as_ref(),
                    true,
                    today,
                )?;
            }
            Ok(preview.subscriptions.len() as u32)
        })?;
        self.remember_mapping(ImportKind::Subscriptions, bytes, request)?;
        Ok(SubscriptionImportOutcome { preview, imported })
    }
}

impl Store {
    /// What each moving-in step did in these books, by step.
    pub fn moving_in_steps(&self) -> Result<std::collections::BTreeMap<String, String>> {
        Ok(crate::all_rows::<(String, String)>(
            self.conn(),
            "SELECT step, said FROM moving_in_steps ORDER BY step",
            [],
        )?
        .into_iter()
        .collect())
    }

    /// Records what a moving-in step did (or that it was skipped).
    pub fn record_moving_in_step(&mut self, step: &str, said: &str) -> Result<()> {
        const STEPS: [&str; 5] = [
            "customers",
            "numbering",
            "open_invoices",
            "subscriptions",
            "billing",
        ];
        let said = said.trim();
        if !STEPS.contains(&step) || said.is_empty() || said.chars().count() > 300 {
            return Err(CoreError::validation(
                "step",
                format!("\"{step}\" is not a step of the moving-in checklist."),
            ));
        }
        self.write(|tx| {
            tx.execute(
                "INSERT INTO moving_in_steps (step, said, at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (step) DO UPDATE SET said = excluded.said, at = excluded.at",
                params![step, said, now()],
            )
            .db()?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{day, profiled_store};

    /// An open invoice from the old tool counts as outstanding and overdue on the dashboard
    /// and is offered for a reminder, like one VarDesk issued.
    #[test]
    fn an_imported_open_invoice_is_owed_overdue_and_reminded() {
        let (_dir, mut store) = profiled_store();
        store
            .import_customers(b"name,country\nContoso GmbH,DE\n")
            .unwrap();
        let file = b"Invoice Number,Customer,Invoice Date,Due Date,Total,Amount Paid\n\
                     R-0417,Contoso GmbH,01.10.2026,15.10.2026,\"1.190,00\",\"500,00\"\n";
        let outcome = store
            .import_open_invoices(file, &MappingRequest::default())
            .unwrap();
        assert_eq!(outcome.imported, 1);
        let today = day("2026-11-27");
        let board = store.dashboard(today).unwrap();
        let eur = &board.currencies["EUR"];
        assert_eq!(eur.outstanding.to_string(), "690.00");
        assert_eq!(eur.overdue.to_string(), "690.00");
        assert_eq!(board.overdue_invoices, 1);
        let due = store.remindable(today).unwrap();
        assert_eq!((due.len(), due[0].invoices), (1, 1));
        assert!(store.check().unwrap().ok);
    }

    /// The checklist says again what each step did, in these books only.
    #[test]
    fn the_moving_in_checklist_remembers_each_step() {
        let (_dir, mut store) = profiled_store();
        assert!(store.moving_in_steps().unwrap().is_empty());
        store
            .record_moving_in_step("customers", "Imported 12 customers.")
            .unwrap();
        store
            .record_moving_in_step("customers", "Imported 14 customers.")
            .unwrap();
        store.record_moving_in_step("billing", "Skipped.").unwrap();
        let steps = store.moving_in_steps().unwrap();
        assert_eq!(steps["customers"], "Imported 14 customers.");
        assert_eq!(steps.len(), 2);
        assert!(store.record_moving_in_step("payroll", "Skipped.").is_err());
        assert!(store.record_moving_in_step("billing", " ").is_err());
    }

    /// A VarDesk invoice cannot pass for an imported one (which `check` does not add up):
    /// the flag is fixed once issued, and a crafted file that sets it anyway fails `check`.
    #[test]
    fn an_issued_invoice_never_passes_for_an_imported_one() {
        let (_dir, mut store) = profiled_store();
        store
            .import_customers(b"name,country\nContoso GmbH,DE\n")
            .unwrap();
        let customer = store.list_customers(&Default::default()).unwrap().customers[0].id;
        let draft = store
            .create_draft(&vardesk_core::invoicing::DraftForm {
                customer_id: Some(customer),
                notes: String::new(),
                lines: vec![vardesk_core::invoicing::DraftLineForm {
                    description: "Setup".into(),
                    quantity: "1".into(),
                    unit_price: "100".into(),
                    tax_rate_percent: "19".into(),
                    ..Default::default()
                }],
            })
            .unwrap();
        store.issue_invoice(draft, day("2026-11-27")).unwrap();
        let sneak = "UPDATE invoices SET imported = 1 WHERE id = ?1";
        assert!(store.conn().execute(sneak, [draft]).is_err());
        store
            .conn()
            .execute_batch(
                "DROP TRIGGER invoices_imported_fixed; DROP TRIGGER invoices_issued_stay;",
            )
            .unwrap();
        store.conn().execute(sneak, [draft]).unwrap();
        let report = store.check().unwrap();
        assert!(!report.ok);
        assert!(
            report
                .problems
                .iter()
                .any(|p| p.contains("marked as imported")),
            "{:?}",
            report.problems
        );
    }

    /// A subscription the old tool billed up to November bills December first: November is
    /// never billed again, December is, and a change cannot reopen the old tool's months.
    #[test]
    fn an_imported_subscription_bills_the_months_the_old_tool_has_not() {
        let (_dir, mut store) = profiled_store();
        store
            .import_customers(b"name,country\nContoso GmbH,DE\n")
            .unwrap();
        let today = day("2026-11-27");
        let file =
            b"Customer,Description,Quantity,Unit Price,Interval,Start Date,Next Month To Bill\n\
                     Contoso GmbH,Microsoft 365 E3,12,33.70,monthly,2025-03-01,2026-12\n";
        let outcome = store
            .import_subscriptions(file, &MappingRequest::default(), today)
            .unwrap();
        assert_eq!(outcome.imported, 1);
        assert_eq!(
            outcome.preview.first_months,
            ["Contoso GmbH — Microsoft 365 E3: first billed 2026-12"]
        );
        assert!(store
            .preview_billing_run("2026-11")
            .unwrap()
            .invoices
            .is_empty());
        assert!(store
            .preview_billing_run("2025-06")
            .unwrap()
            .invoices
            .is_empty());
        assert_eq!(
            store.first_month_to_bill(today).unwrap().as_deref(),
            Some("2026-12")
        );
        let december = store.run_billing("2026-12").unwrap();
        assert_eq!(december.invoices[0].net.to_string(), "404.40");
        assert!(store.check().unwrap().ok);
    }

    /// A running Microsoft licence comes over with its term and ids (§10), its term rolled
    /// on to the one holding today.
    #[test]
    fn an_imported_licence_keeps_its_term() {
        let (_dir, mut store) = profiled_store();
        store
            .import_customers(b"name,country\nContoso GmbH,DE\n")
            .unwrap();
        let file = b"Customer,Description,Quantity,Unit Price,Interval,Start Date,Term,Subscription ID\n\
                     Contoso GmbH,Microsoft 365 E3,12,33.70,monthly,2025-03-01,P1Y,4c5a3b2e-1f0d-4e9c-8b7a-6d5c4b3a2f10\n";
        store
            .import_subscriptions(file, &MappingRequest::default(), day("2026-11-27"))
            .unwrap();
        let rows = store.list_subscriptions(day("2026-11-27")).unwrap();
        let l = rows[0].licence.as_ref().unwrap();
        assert_eq!(
            (l.term, l.term_start.as_str(), l.term_end.as_str()),
            ("P1Y", "2026-03-01", "2027-02-28")
        );
        assert_eq!(l.ms_subscription_id, "4c5a3b2e-1f0d-4e9c-8b7a-6d5c4b3a2f10");
    }
}
