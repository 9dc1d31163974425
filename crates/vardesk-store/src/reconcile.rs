//! The distributor's bill against the books (DOMAIN.md §10): the customers and subscriptions
//! the engine matches charges to, read once; and each finding's fix, applied in one
//! transaction when the user chooses it.

use std::io::Read;

use chrono::NaiveDate;
use vardesk_core::billing::Period;
use vardesk_core::mapping::{ImportKind, MappingRequest};
use vardesk_core::reconcile::{self, BillCustomer, BillSubscription, Reconciliation};

use crate::invoices::sub_from_row;
use crate::subscriptions::licence_from_row;
use crate::{from_scaled, DbResult, Result, Store};

impl Store {
    /// Reconciles a bill read from `open()` (called twice: once for its header line, to
    /// find the saved mapping, once to stream it). Nothing is written but the mapping, when
    /// the request names one to save.
    pub fn reconcile_bill<R: Read>(
        &mut self,
        mut open: impl FnMut() -> Result<R>,
        request: &MappingRequest,
        today: NaiveDate,
    ) -> Result<Reconciliation> {
        let headers = reconcile::bill_headers(open()?)?;
        let chosen = self.mapping_choices(ImportKind::Reconciliation, &headers, request)?;
        let bill = reconcile::read_bill(open()?, &chosen.choices)?;
        let (customers, subs) = self.bill_matching_data()?;
        let mut result = reconcile::reconcile(&bill, &customers, &subs, Period::of(today));
        result.summary.mapping_name = chosen.saved;
        if let Some(name) = request.save_as.as_deref().filter(|n| !n.trim().is_empty()) {
            self.save_mapping(ImportKind::Reconciliation, name, &headers, &chosen.choices)?;
            result.summary.mapping_name = Some(name.trim().to_string());
        }
        Ok(result)
    }

    /// Every customer with its tenant, and every subscription with its licence terms.
    fn bill_matching_data(&self) -> Result<(Vec<BillCustomer>, Vec<BillSubscription>)> {
        let customers = crate::all_rows::<(i64, String, String, String)>(
            self.conn(),
            "SELECT id, name, tenant_id, tenant_domain FROM customers",
            [],
        )?
        .into_iter()
        .map(|(id, name, tenant_id, tenant_domain)| BillCustomer {
            id,
            name,
            tenant_id,
            tenant_domain,
        })
        .collect();
        let mut stmt = self
            .conn()
            .prepare(
                "SELECT s.*, '' AS customer_name,
                    coalesce(nullif(s.ms_product_id, ''), c.ms_product_id, '') AS product,
                    coalesce(nullif(s.ms_sku_id, ''), c.ms_sku_id, '') AS sku
                 FROM subscriptions s LEFT JOIN catalog_items c ON c.id = s.catalog_item_id",
            )
            .db()?;
        let subs = stmt
            .query_map([], |r| {
                let sub = sub_from_row(r)?;
                let licence = licence_from_row(r)?;
                Ok(BillSubscription {
                    id: sub.id,
                    customer_id: sub.customer_id,
                    description: sub.description,
                    currency: sub.currency,
                    terms: sub.terms,
                    unit_cost: from_scaled(sub.unit_cost_e4, 4),
                    ms_subscription_id: licence
                        .as_ref()
                        .map(|l| l.ms_subscription_id.clone())
                        .unwrap_or_default(),
                    ms_product_id: r.get("product")?,
                    ms_sku_id: r.get("sku")?,
                    licence: licence.map(|l| (l.term, l.billing, l.term_start, l.term_end)),
                })
            })
            .db()?
            .collect::<rusqlite::Result<Vec<_>>>()
            .db()?;
        Ok((customers, subs))
    }
}
