//! The distributor's bill against the books (DOMAIN.md §10): the customers and subscriptions
//! the engine matches charges to, read once; and each finding's fix, applied in one
//! transaction when the user chooses it.

use std::io::Read;

use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};
use rust_decimal::Decimal;
use vardesk_core::billing::Interval;
use vardesk_core::billing::Period;
use vardesk_core::invoicing::SubscriptionForm;
use vardesk_core::mapping::{ImportKind, MappingRequest};
use vardesk_core::reconcile::{self, BillCustomer, BillSubscription, Fix, Reconciliation};
use vardesk_core::CoreError;

use crate::billing_run::sub_from_row;
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
        let save = request.save_as.as_deref().filter(|n| !n.trim().is_empty());
        if let Some(name) = save.filter(|_| result.summary.mapping_error.is_none()) {
            self.save_mapping(ImportKind::Reconciliation, name, &headers, &chosen.choices)?;
            result.summary.mapping_name = Some(name.trim().to_string());
        }
        Ok(result)
    }

    /// Applies one finding's fix (§10) in one transaction. Quantities change from the first
    /// period not billed yet; an ended subscription stops after what was billed; a new one
    /// bills from the bill's `period` at the catalog's price for the product (else `price`,
    /// per month, which is then required). Returns the subscription changed or added.
    pub fn apply_reconcile_fix(
        &mut self,
        fix: &Fix,
        period: &str,
        price: Option<&str>,
    ) -> Result<i64> {
        match fix {
            Fix::SetQuantity {
                subscription_id,
                quantity,
            } => {
                let mut form = self.subscription_form(*subscription_id)?;
                form.quantity = quantity.normalize().to_string();
                self.save_subscription(Some(*subscription_id), &form)
            }
            Fix::End { subscription_id } => {
                let (terms, last) =
                    crate::subscriptions::billed_terms(self.conn(), *subscription_id)?;
                let end = match last {
                    Some(last) => terms.covered_until(last).last_day(),
                    None => terms.start_date,
                };
                self.end_subscription(*subscription_id, &end.to_string())?;
                Ok(*subscription_id)
            }
            Fix::SetCost {
                subscription_id,
                unit_cost,
            } => {
                let mut form = self.subscription_form(*subscription_id)?;
                form.unit_cost = unit_cost.normalize().to_string();
                self.save_subscription(Some(*subscription_id), &form)
            }
            Fix::AddSubscription {
                customer_id,
                ms_subscription_id,
                product_id,
                sku_id,
                sku_name,
                quantity,
                monthly_cost,
            } => {
                let month = Period::parse(period)?;
                let customer = self.customer(*customer_id)?;
                let settings = self.require_settings()?;
                let item: Option<(i64, String, String, String)> = self
                    .conn()
                    .query_row(
                        "SELECT id, name, unit, kind FROM catalog_items
                         WHERE ms_licence = 1 AND active = 1 AND ms_product_id = ?1
                           AND (ms_sku_id = ?2 OR ms_sku_id = '' OR ?2 = '')
                         ORDER BY term = 'P1M' DESC, id LIMIT 1",
                        params![product_id, sku_id],
                        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                    )
                    .optional()
                    .db()?;
                let catalog = match &item {
                    Some((id, ..)) => Some(self.catalog_item(*id)?.item),
                    None => None,
                };
                let catalog_price = catalog
                    .as_ref()
                    .and_then(|c| c.price_in(customer.data.currency));
                let interval = match item.as_ref().map(|i| i.3.as_str()) {
                    Some("annual") => Interval::Annual,
                    _ => Interval::Monthly,
                };
                let months = Decimal::from(if interval == Interval::Annual { 12 } else { 1 });
                let unit_price = match (catalog_price, price.map(str::trim).filter(|p| !p.is_empty())) {
                    (_, Some(typed)) => typed.to_string(),
                    (Some((p, _)), None) => p.to_string(),
                    (None, None) => {
                        return Err(CoreError::validation(
                            "price",
                            format!(
                                "No catalog item is priced for {} in {}: enter the price per                                  month to bill.",
                                if sku_name.is_empty() { product_id } else { sku_name },
                                customer.data.currency
                            ),
                        ))
                    }
                };
                let form = SubscriptionForm {
                    customer_id: Some(*customer_id),
                    catalog_item_id: item.as_ref().map(|i| i.0),
                    description: item
                        .as_ref()
                        .map_or_else(|| sku_name.clone(), |i| i.1.clone()),
                    quantity: quantity.normalize().to_string(),
                    unit: item
                        .as_ref()
                        .map_or_else(|| "seat".to_string(), |i| i.2.clone()),
                    unit_price,
                    unit_cost: (monthly_cost * months).normalize().to_string(),
                    discount_percent: "0".into(),
                    tax_rate_percent: catalog
                        .as_ref()
                        .map_or(settings.default_tax_rate_percent, |c| c.tax_rate_percent)
                        .normalize()
                        .to_string(),
                    interval: if interval == Interval::Annual {
                        "annual"
                    } else {
                        "monthly"
                    }
                    .into(),
                    start_date: month.first_day().to_string(),
                    term: "P1M".into(),
                    billing: "monthly".into(),
                    ms_subscription_id: ms_subscription_id.clone(),
                    ms_product_id: product_id.clone(),
                    ms_sku_id: sku_id.clone(),
                    ..SubscriptionForm::default()
                };
                self.save_subscription(None, &form)
            }
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{day, profiled_store};
    use vardesk_core::customer::CustomerForm;
    use vardesk_core::reconcile::FindingKind;

    const TENANT: &str = "11111111-2222-3333-4444-555555555555";

    fn bill(rows: &[(&str, &str, &str, &str, &str)]) -> Vec<u8> {
        let mut text = String::from(
            "CustomerId,CustomerName,ProductId,SkuId,SkuName,ChargeType,UnitPrice,Quantity,\
             Subtotal,Currency,SubscriptionId,ChargeStartDate,ChargeEndDate,BillableQuantity,\
             BillingFrequency\n",
        );
        for (sub, product, unit, seats, subtotal) in rows {
            text.push_str(&format!(
                "{TENANT},Contoso,{product},0001,Licence {product},cycleCharge,{unit},{seats},\
                 {subtotal},EUR,{sub},11/1/2026,11/30/2026,{seats},Monthly\n"
            ));
        }
        text.into_bytes()
    }

    /// Every fix applied, the same bill reconciles clean: each finding's fix is the one
    /// that removes it, and nothing changed before a fix was chosen.
    #[test]
    fn each_fix_removes_its_finding_and_nothing_changes_before() {
        let (_dir, mut store) = profiled_store();
        let customer = store
            .create_customer(&CustomerForm {
                name: "Contoso GmbH".into(),
                currency: "EUR".into(),
                tenant_id: TENANT.into(),
                ..Default::default()
            })
            .unwrap()
            .id;
        let add = |store: &mut Store, product: &str, seats: &str, cost: &str, ms_id: &str| {
            store
                .save_subscription(
                    None,
                    &SubscriptionForm {
                        customer_id: Some(customer),
                        description: format!("Licence {product}"),
                        quantity: seats.into(),
                        unit: "seat".into(),
                        unit_price: "12.50".into(),
                        unit_cost: cost.into(),
                        tax_rate_percent: "19".into(),
                        interval: "monthly".into(),
                        start_date: "2026-01-01".into(),
                        term: "P1M".into(),
                        ms_subscription_id: ms_id.into(),
                        ms_product_id: product.into(),
                        ..SubscriptionForm::default()
                    },
                )
                .unwrap()
        };
        let s1 = "0a1b2c3d-0000-4000-8000-000000000001";
        let leaking = add(&mut store, "AAAA00000001", "10", "10.80", s1);
        let costly = add(&mut store, "AAAA00000002", "3", "5", "");
        let unbought = add(&mut store, "AAAA00000003", "4", "1", "");
        let bytes = bill(&[
            (s1, "AAAA00000001", "10.80", "12", "129.60"),
            ("", "AAAA00000002", "6.00", "3", "18.00"),
            (
                "0a1b2c3d-0000-4000-8000-000000000009",
                "AAAA00000009",
                "2.00",
                "2",
                "4.00",
            ),
        ]);
        let run = |store: &mut Store| {
            let b = bytes.clone();
            store
                .reconcile_bill(
                    move || Ok(std::io::Cursor::new(b.clone())),
                    &MappingRequest::default(),
                    day("2026-11-28"),
                )
                .unwrap()
        };
        let before = store.list_subscriptions(day("2026-11-28")).unwrap();
        let r = run(&mut store);
        assert_eq!(store.list_subscriptions(day("2026-11-28")).unwrap(), before);
        let kinds: Vec<_> = r
            .findings
            .iter()
            .map(|f| (f.kind, f.subscription_id))
            .collect();
        assert_eq!(
            kinds,
            [
                (FindingKind::UnbilledSeats, Some(leaking)),
                (FindingKind::BilledNotBought, Some(unbought)),
                (FindingKind::CostDiffers, Some(costly)),
                (FindingKind::UnmatchedCharge, None),
            ]
        );
        // Without a catalog item for the product, adding it needs a price.
        let unmatched = r.findings[3].fix.clone().unwrap();
        let err = store
            .apply_reconcile_fix(&unmatched, &r.period, None)
            .unwrap_err();
        assert_eq!(err.field.as_deref(), Some("price"));
        for f in &r.findings {
            store
                .apply_reconcile_fix(f.fix.as_ref().unwrap(), &r.period, Some("3.00"))
                .unwrap();
        }
        let again = run(&mut store);
        assert!(again.findings.is_empty(), "{:?}", again.findings);
        let subs = store.list_subscriptions(day("2026-11-28")).unwrap();
        let added = subs.iter().find(|s| s.id > unbought).unwrap();
        assert_eq!(added.start_date, "2026-11-01");
        assert_eq!(
            added.licence.as_ref().unwrap().ms_subscription_id,
            "0a1b2c3d-0000-4000-8000-000000000009"
        );
        assert_eq!(
            subs.iter()
                .find(|s| s.id == unbought)
                .unwrap()
                .end_date
                .as_deref(),
            Some("2026-01-01")
        );
    }
}

#[cfg(test)]
mod sample_bill {
    use crate::test_support::{day, profiled_store};
    use vardesk_core::reconcile::FindingKind;

    /// The sample books' bill finds each planted difference, and nothing else.
    #[test]
    fn the_sample_bill_has_something_to_find() {
        let (_dir, mut store) = profiled_store();
        let today = day("2026-11-28");
        store.load_sample_data(today).unwrap();
        // Next month's run renews what ends this month first: the bill stays this month's.
        store.run_billing("2026-12").unwrap();
        let bill = store.sample_distributor_bill(today).unwrap();
        let r = store
            .reconcile_bill(
                || Ok(std::io::Cursor::new(bill.clone())),
                &Default::default(),
                today,
            )
            .unwrap();
        assert_eq!(r.period, "2026-11");
        assert!(r.summary.errors.is_empty(), "{:?}", r.summary.errors);
        let mut kinds: Vec<_> = r.findings.iter().map(|f| f.kind).collect();
        kinds.sort();
        assert_eq!(
            kinds,
            [
                FindingKind::UnbilledSeats,
                FindingKind::BilledNotBought,
                FindingKind::CostDiffers,
                FindingKind::UnmatchedCharge
            ],
            "{:#?}",
            r.findings
        );
        assert!(r.findings.iter().all(|f| f.fix.is_some()));
        assert_eq!(r.matched + 1, r.groups, "all but the unknown product match");
        assert!(r.customers.len() >= 5);
    }
}
