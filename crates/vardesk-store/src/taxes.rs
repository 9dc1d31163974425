//! A document's taxes as §9 decides them: drafts follow their customer and the company
//! today; issued documents keep the categories and rates they were issued with.

use rusqlite::{Connection, OptionalExtension};
use vardesk_core::lines::Line;
use vardesk_core::settings::oss_rates_2026;
use vardesk_core::treatment::{in_eu_vat_area, TaxContext, TaxTreatment};

use crate::invoices::invoice_lines;
use crate::{DbResult, Result};

/// How a customer is taxed today: its country, VAT ID and chosen treatment, with the
/// company's country and small-business switch.
pub(crate) fn customer_tax_context(conn: &Connection, customer_id: i64) -> Result<TaxContext> {
    let company: (String, bool, bool, String) = conn
        .prepare_cached("SELECT country, small_business, oss, oss_rates FROM settings WHERE id = 1")
        .db()?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .optional()
        .db()?
        .unwrap_or_default();
    let (country, vat_id, treatment): (String, String, String) = conn
        .prepare_cached("SELECT country, vat_id, tax_treatment FROM customers WHERE id = ?1")
        .db()?
        .query_row([customer_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()
        .db()?
        .unwrap_or_default();
    let treatment = TaxTreatment::parse(&treatment).unwrap_or_default();
    // One-Stop-Shop: a consumer in another member state, taxed by `auto`, pays the rate of
    // its own country (from the company's table).
    let oss_rate = (company.2
        && treatment == TaxTreatment::Auto
        && vat_id.is_empty()
        && !country.eq_ignore_ascii_case(&company.0)
        && in_eu_vat_area(&country, false))
    .then(|| {
        let code = match country.to_ascii_uppercase().as_str() {
            "MC" => "FR".to_string(),
            c => c.to_string(),
        };
        let stored: std::collections::BTreeMap<String, String> =
            serde_json::from_str(&company.3).unwrap_or_default();
        stored
            .get(&code)
            .and_then(|r| r.parse().ok())
            .or_else(|| oss_rates_2026().get(&code).copied())
    })
    .flatten();
    Ok(TaxContext {
        company_country: company.0,
        small_business: company.1,
        customer_country: country,
        customer_has_vat_id: !vat_id.is_empty(),
        treatment,
        oss_rate,
    })
}

/// A document's lines as taxed: a draft's by its customer's context today, an issued
/// document's as stored (lines issued before §9 are domestic at their rate).
pub(crate) fn taxed_lines(conn: &Connection, id: i64) -> Result<Vec<Line>> {
    let lines = invoice_lines(conn, id)?;
    let draft_of: Option<i64> = conn
        .prepare_cached("SELECT customer_id FROM invoices WHERE id = ?1 AND status = 'draft'")
        .db()?
        .query_row([id], |r| r.get(0))
        .optional()
        .db()?;
    match draft_of {
        Some(customer_id) => Ok(customer_tax_context(conn, customer_id)?.apply(&lines)),
        None => Ok(lines),
    }
}

impl crate::Store {
    /// How a customer is taxed today (§9), for figures shown before anything is stored.
    pub fn customer_tax(&self, customer_id: i64) -> Result<TaxContext> {
        customer_tax_context(self.conn(), customer_id)
    }
}
