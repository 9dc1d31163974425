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

#[cfg(test)]
mod tests {
    use vardesk_core::einvoice::Format;
    use vardesk_core::invoicing::{DraftForm, DraftLineForm};

    use crate::test_support::{day, sample_store};

    /// A laptop (goods) and its setup (a service) sold to a Dutch business and to a US one.
    #[test]
    fn goods_and_services_take_their_own_categories() {
        let (_dir, mut store) = sample_store();
        let customers = store.list_customers(&Default::default()).unwrap().customers;
        let id_of = |name: &str| customers.iter().find(|c| c.data.name == name).unwrap().id;
        for (customer, goods, services) in [("Fabrikam Pharma B.V.", "K", "AE")] {
            let line = |description: &str, goods: bool| DraftLineForm {
                description: description.into(),
                quantity: "1".into(),
                unit: "each".into(),
                unit_price: "1200".into(),
                tax_rate_percent: "19".into(),
                goods,
                ..DraftLineForm::default()
            };
            let draft = store
                .create_draft(&DraftForm {
                    customer_id: Some(id_of(customer)),
                    notes: String::new(),
                    lines: vec![line("Surface Laptop 7", true), line("Setup", false)],
                })
                .unwrap();
            store.issue_invoice(draft, day("2026-11-23")).unwrap();
            let shown = store.invoice(draft, day("2026-11-23")).unwrap();
            let categories: Vec<&str> = shown
                .lines
                .iter()
                .map(|l| l.tax_category.unwrap().code())
                .collect();
            assert_eq!(categories, [goods, services], "{customer}");
            assert_eq!(shown.totals.tax_total.to_string(), "0.00");
            let xml = store
                .einvoice_xml(draft, Format::XRechnungCii, day("2026-11-23"))
                .unwrap();
            assert!(
                xml.contains("<ram:ShipToTradeParty>"),
                "{customer}: deliver-to country"
            );
            assert!(xml.contains(&format!("<ram:CategoryCode>{goods}</ram:CategoryCode>")));
            if let Some(dir) = std::env::var_os("VARDESK_WRITE_EINVOICE") {
                for format in [Format::XRechnungCii, Format::XRechnungUbl, Format::Peppol] {
                    let xml = store
                        .einvoice_xml(draft, format, day("2026-11-23"))
                        .unwrap();
                    let name = format!("goods-{}.xml", format.name().replace(' ', "-"));
                    std::fs::write(std::path::Path::new(&dir).join(name), xml).unwrap();
                }
            }
        }
        // Outside the EU, goods (G, an export) and services (O) cannot share an invoice.
        let draft = store
            .create_draft(&DraftForm {
                customer_id: Some(id_of("Contoso Dental Group")),
                notes: String::new(),
                lines: vec![
                    DraftLineForm {
                        description: "Surface Laptop 7".into(),
                        quantity: "1".into(),
                        unit_price: "1200".into(),
                        tax_rate_percent: "19".into(),
                        goods: true,
                        ..DraftLineForm::default()
                    },
                    DraftLineForm {
                        description: "Setup".into(),
                        quantity: "1".into(),
                        unit_price: "100".into(),
                        tax_rate_percent: "19".into(),
                        ..DraftLineForm::default()
                    },
                ],
            })
            .unwrap();
        let err = store.issue_invoice(draft, day("2026-11-23")).unwrap_err();
        assert!(err.message.contains("separately"), "{}", err.message);
    }
}
