//! Importing Microsoft's (or a distributor's) price list into the catalog (DOMAIN.md §10):
//! the preview shows new, changed and removed prices and which subscriptions will see a new
//! cost at their renewal (their cost stays locked until then); applying writes the catalog
//! in one transaction.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;
use vardesk_core::catalog::{CatalogItem, LocalPrice, MsProduct};
use vardesk_core::mapping::{ImportKind, ImportSummary, MappingRequest};
use vardesk_core::price_list::{read_price_list, PriceList, PriceListItem};
use vardesk_core::{nce, Currency};

use crate::{DbResult, Result, Store};

/// A price that changes: per item and currency, the cost (and the price, when the import
/// sets prices too) before and after.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct PriceChange {
    pub sku: String,
    pub name: String,
    pub currency: String,
    #[serde(with = "vardesk_core::money::serde_str::option")]
    #[specta(type = Option<String>)]
    pub cost_before: Option<Decimal>,
    #[serde(with = "vardesk_core::money::serde_str")]
    #[specta(type = String)]
    pub cost_after: Decimal,
    #[serde(with = "vardesk_core::money::serde_str::option")]
    #[specta(type = Option<String>)]
    pub price_before: Option<Decimal>,
    #[serde(with = "vardesk_core::money::serde_str")]
    #[specta(type = String)]
    pub price_after: Decimal,
}

/// A licence whose cost changes at its renewal.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct CostAtRenewal {
    pub subscription_id: i64,
    pub customer: String,
    pub description: String,
    pub renews_on: String,
    pub currency: String,
    #[serde(with = "vardesk_core::money::serde_str")]
    #[specta(type = String)]
    pub cost_now: Decimal,
    #[serde(with = "vardesk_core::money::serde_str")]
    #[specta(type = String)]
    pub cost_then: Decimal,
}

/// What importing a price list would do.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct PriceListPreview {
    #[serde(flatten)]
    pub summary: ImportSummary,
    /// Trials, prices not in effect today, higher tiers, other markets' duplicates.
    pub left_out: u32,
    pub new_items: Vec<PriceChange>,
    pub changed: Vec<PriceChange>,
    /// Items of an earlier price list this one no longer has: made inactive.
    pub removed: Vec<String>,
    pub unchanged: u32,
    pub renewals: Vec<CostAtRenewal>,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct PriceListOutcome {
    pub imported: u32,
    pub added: u32,
    pub changed: u32,
    pub removed: u32,
}

/// The catalog writes an import makes.
struct Plan {
    preview: PriceListPreview,
    writes: Vec<(Option<i64>, CatalogItem)>,
}

impl Store {
    /// What importing this price list would do; nothing is written. `update_prices` also
    /// sets the items' prices to the list's suggested retail prices (else only new items
    /// and new currencies take them; costs always follow the list).
    pub fn preview_price_list(
        &self,
        bytes: &[u8],
        request: &MappingRequest,
        update_prices: bool,
        today: NaiveDate,
    ) -> Result<PriceListPreview> {
        Ok(self
            .plan_price_list(bytes, request, update_prices, today)?
            .preview)
    }

    /// Imports the price list: all of it in one transaction, or nothing when a row has an
    /// error or the mapping cannot be read.
    pub fn import_price_list(
        &mut self,
        bytes: &[u8],
        request: &MappingRequest,
        update_prices: bool,
        today: NaiveDate,
    ) -> Result<PriceListOutcome> {
        let plan = self.plan_price_list(bytes, request, update_prices, today)?;
        let p = &plan.preview;
        if let Some(why) = &p.summary.mapping_error {
            return Err(vardesk_core::CoreError::validation("mapping", why.clone()));
        }
        if let Some(e) = p.summary.errors.first() {
            return Err(vardesk_core::CoreError::validation(
                "file",
                format!("Line {}: {} Nothing was imported.", e.line, e.reason),
            ));
        }
        let outcome = PriceListOutcome {
            imported: p.summary.valid,
            added: count_items(&p.new_items),
            changed: count_items(&p.changed),
            removed: p.removed.len() as u32,
        };
        self.write(|tx| {
            for (id, item) in &plan.writes {
                crate::catalog::insert_or_update(tx, *id, item)?;
            }
            Ok(())
        })?;
        self.remember_mapping(ImportKind::PriceList, bytes, request)?;
        Ok(outcome)
    }

    fn plan_price_list(
        &self,
        bytes: &[u8],
        request: &MappingRequest,
        update_prices: bool,
        today: NaiveDate,
    ) -> Result<Plan> {
        let settings = self.require_settings()?;
        let headers = crate::mappings::file_headers(bytes)?;
        let chosen = self.mapping_choices(ImportKind::PriceList, &headers, request)?;
        let list: PriceList = read_price_list(bytes, &chosen.choices, &settings.country, today)?;
        let mut summary = list.summary.clone();
        summary.mapping_name = chosen.saved;
        let catalog = self.list_catalog()?;
        let key = |m: &MsProduct| (m.product_id.clone(), m.sku_id.clone(), m.term, m.billing);
        let mut preview = PriceListPreview {
            summary,
            left_out: list.left_out,
            new_items: Vec::new(),
            changed: Vec::new(),
            removed: Vec::new(),
            unchanged: 0,
            renewals: Vec::new(),
        };
        let mut writes = Vec::new();
        let mut seen: BTreeSet<i64> = BTreeSet::new();
        let mut changed_costs: BTreeMap<(i64, String), Decimal> = BTreeMap::new();
        for item in &list.items {
            let existing = catalog.iter().find(|c| {
                c.item.sku == item.sku
                    || c.item.microsoft.as_ref().is_some_and(|m| {
                        key(m)
                            == (
                                item.product_id.clone(),
                                item.sku_id.clone(),
                                Some(item.term),
                                Some(item.billing),
                            )
                    })
            });
            match existing {
                None => {
                    let new = new_catalog_item(
                        item,
                        settings.default_currency,
                        settings.default_tax_rate_percent,
                    );
                    preview
                        .new_items
                        .extend(item.prices.iter().map(|(code, (price, cost))| PriceChange {
                            sku: item.sku.clone(),
                            name: item.name.clone(),
                            currency: code.clone(),
                            cost_before: None,
                            cost_after: *cost,
                            price_before: None,
                            price_after: *price,
                        }));
                    writes.push((None, new));
                }
                Some(record) => {
                    seen.insert(record.id);
                    let mut updated = record.item.clone();
                    let mut changes = Vec::new();
                    for (code, (price, cost)) in &item.prices {
                        let Ok(currency) = Currency::parse(code) else {
                            continue;
                        };
                        let before = updated.price_in(currency);
                        let price_after = match before {
                            Some((p, _)) if !update_prices => p,
                            _ => *price,
                        };
                        if before == Some((price_after, *cost)) {
                            continue;
                        }
                        changes.push(PriceChange {
                            sku: updated.sku.clone(),
                            name: updated.name.clone(),
                            currency: code.clone(),
                            cost_before: before.map(|b| b.1),
                            cost_after: *cost,
                            price_before: before.map(|b| b.0),
                            price_after,
                        });
                        if before.is_some_and(|b| b.1 != *cost) {
                            changed_costs.insert((record.id, code.clone()), *cost);
                        }
                        set_price(&mut updated, currency, price_after, *cost);
                    }
                    updated.microsoft = Some(MsProduct {
                        product_id: item.product_id.clone(),
                        sku_id: item.sku_id.clone(),
                        term: Some(item.term),
                        billing: Some(item.billing),
                    });
                    updated.active = true;
                    if changes.is_empty() && updated == record.item {
                        preview.unchanged += 1;
                    } else {
                        preview.changed.extend(changes);
                        writes.push((Some(record.id), updated));
                    }
                }
            }
        }
        // Items of an earlier price list (in a currency this one covers) that it no longer has.
        let currencies: BTreeSet<&String> =
            list.items.iter().flat_map(|i| i.prices.keys()).collect();
        for record in &catalog {
            let from_a_list = record.item.sku.starts_with("MS-")
                && record
                    .item
                    .microsoft
                    .as_ref()
                    .is_some_and(|m| m.term.is_some());
            if from_a_list
                && record.item.active
                && !seen.contains(&record.id)
                && currencies.contains(&record.item.currency.code().to_string())
                && !list.items.iter().any(|i| i.sku == record.item.sku)
            {
                let mut gone = record.item.clone();
                gone.active = false;
                preview
                    .removed
                    .push(format!("{} ({})", gone.name, gone.sku));
                writes.push((Some(record.id), gone));
            }
        }
        preview.renewals = self.costs_at_renewal(&changed_costs, today)?;
        Ok(Plan { preview, writes })
    }

    /// The licences on items whose cost changes, with their cost now and after renewal.
    fn costs_at_renewal(
        &self,
        changed: &BTreeMap<(i64, String), Decimal>,
        today: NaiveDate,
    ) -> Result<Vec<CostAtRenewal>> {
        if changed.is_empty() {
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        let mut stmt = self
            .conn()
            .prepare(
                "SELECT s.*, c.name AS customer_name, i.kind AS item_kind FROM subscriptions s
                 JOIN customers c ON c.id = s.customer_id
                 JOIN catalog_items i ON i.id = s.catalog_item_id
                 WHERE s.term IS NOT NULL AND (s.end_date IS NULL OR s.end_date >= ?1)
                 ORDER BY c.name_fold, s.id",
            )
            .db()?;
        let rows = stmt
            .query_map([today.to_string()], |r| {
                Ok((
                    crate::subscriptions::licence_from_row(r)?,
                    r.get::<_, i64>("id")?,
                    r.get::<_, i64>("catalog_item_id")?,
                    r.get::<_, String>("customer_name")?,
                    r.get::<_, String>("description")?,
                    r.get::<_, String>("currency")?,
                    r.get::<_, String>("interval")?,
                    r.get::<_, String>("item_kind")?,
                    crate::from_scaled(r.get("unit_cost_e4")?, 4),
                ))
            })
            .db()?
            .collect::<rusqlite::Result<Vec<_>>>()
            .db()?;
        for (licence, id, item, customer, description, currency, interval, kind, cost_now) in rows {
            let (Some(l), Some(new_cost)) = (licence, changed.get(&(item, currency.clone())))
            else {
                continue;
            };
            let scale =
                Decimal::from(vardesk_core::billing::Interval::from_stored(&interval).months())
                    / Decimal::from(if kind == "annual" { 12 } else { 1 });
            let end = if l.auto_renew {
                nce::current_term(l.term_start, l.term_end, l.term, today).1
            } else {
                continue; // ends with its term: no renewal to see the new cost
            };
            out.push(CostAtRenewal {
                subscription_id: id,
                customer,
                description,
                renews_on: end.succ_opt().unwrap_or(end).to_string(),
                currency,
                cost_now,
                cost_then: vardesk_core::money::round_dp(*new_cost * scale, 4),
            });
        }
        Ok(out)
    }
}

fn count_items(changes: &[PriceChange]) -> u32 {
    changes
        .iter()
        .map(|c| &c.sku)
        .collect::<BTreeSet<_>>()
        .len() as u32
}

/// A catalog item from a price-list item: the company's currency first when the list has
/// it, the other currencies beside it; the default tax rate; a Microsoft licence.
fn new_catalog_item(item: &PriceListItem, home: Currency, tax_rate: Decimal) -> CatalogItem {
    let main = item
        .prices
        .keys()
        .find(|c| c.as_str() == home.code())
        .or_else(|| item.prices.keys().next())
        .and_then(|c| Currency::parse(c).ok())
        .unwrap_or(home);
    let (price, cost) = item.prices.get(main.code()).copied().unwrap_or_default();
    CatalogItem {
        kind: item.kind,
        sku: item.sku.clone(),
        name: item.name.clone(),
        unit: item.unit.clone(),
        currency: main,
        price,
        cost,
        tax_rate_percent: tax_rate,
        active: true,
        goods: false,
        other_prices: item
            .prices
            .iter()
            .filter(|(code, _)| code.as_str() != main.code())
            .filter_map(|(code, (price, cost))| {
                Some(LocalPrice {
                    currency: Currency::parse(code).ok()?,
                    price: *price,
                    cost: *cost,
                })
            })
            .collect(),
        microsoft: Some(MsProduct {
            product_id: item.product_id.clone(),
            sku_id: item.sku_id.clone(),
            term: Some(item.term),
            billing: Some(item.billing),
        }),
    }
}

/// Sets an item's price and cost in `currency`: its own, or one of its other currencies.
fn set_price(item: &mut CatalogItem, currency: Currency, price: Decimal, cost: Decimal) {
    if item.currency == currency {
        item.price = price;
        item.cost = cost;
    } else if let Some(p) = item
        .other_prices
        .iter_mut()
        .find(|p| p.currency == currency)
    {
        p.price = price;
        p.cost = cost;
    } else {
        item.other_prices.push(LocalPrice {
            currency,
            price,
            cost,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{day, profiled_store};

    const LIST: &str = "ProductTitle,ProductId,SkuId,SkuTitle,Publisher,SkuDescription,UnitOfMeasure,\
        TermDuration,BillingPlan,Market,Currency,UnitPrice,PricingTierRangeMin,PricingTierRangeMax,\
        EffectiveStartDate,EffectiveEndDate,EndofSaleDate,Tags,ERP Price\n\
        Microsoft 365 Business Standard,CFQ7TTC0LDPB,0001,Microsoft 365 Business Standard,Microsoft Corporation,,,P1M,Monthly,DE,EUR,10.45,,,11/1/2026 0:00,11/30/9999 23:59,,License,12.30\n\
        Microsoft 365 Business Standard,CFQ7TTC0LDPB,0001,Microsoft 365 Business Standard,Microsoft Corporation,,,P1Y,Monthly,DE,EUR,125.40,,,11/1/2026 0:00,11/30/9999 23:59,,License,147.60\n";

    /// The list's cost reaches the catalog at once and each licence at its renewal; the
    /// customer's price stays unless asked; nothing is written by the preview.
    #[test]
    fn a_price_list_updates_costs_now_and_licences_at_renewal() {
        let (_dir, mut store) = profiled_store();
        let today = day("2026-11-28");
        store.load_sample_data(today).unwrap();
        let before = store.list_catalog().unwrap();
        let p = store
            .preview_price_list(LIST.as_bytes(), &MappingRequest::default(), false, today)
            .unwrap();
        assert_eq!(
            store.list_catalog().unwrap(),
            before,
            "a preview writes nothing"
        );
        assert!(p.summary.errors.is_empty(), "{:?}", p.summary.errors);
        assert_eq!(p.new_items.len(), 1);
        assert_eq!(p.new_items[0].sku, "MS-CFQ7TTC0LDPB-0001-P1Y-M");
        assert_eq!(
            (p.new_items[0].cost_after, p.new_items[0].price_after),
            (Decimal::new(1045, 2), Decimal::new(1230, 2))
        );
        let eur: Vec<_> = p.changed.iter().filter(|c| c.currency == "EUR").collect();
        assert_eq!(eur.len(), 1, "{:?}", p.changed);
        assert_eq!(
            (eur[0].sku.as_str(), eur[0].cost_before, eur[0].cost_after),
            ("M365-BS", Some(Decimal::new(995, 2)), Decimal::new(1045, 2))
        );
        assert_eq!(eur[0].price_after, Decimal::new(1170, 2), "the price stays");
        assert!(!p.renewals.is_empty());
        assert!(p
            .renewals
            .iter()
            .all(|r| r.cost_then == Decimal::new(1045, 2) && r.currency == "EUR"));
        let renewing = p.renewals[0].subscription_id;
        let out = store
            .import_price_list(LIST.as_bytes(), &MappingRequest::default(), false, today)
            .unwrap();
        assert_eq!((out.added, out.changed), (1, 1));
        let cost = |s: &Store| -> i64 {
            s.conn()
                .query_row(
                    "SELECT unit_cost_e4 FROM subscriptions WHERE id = ?1",
                    [renewing],
                    |r| r.get(0),
                )
                .unwrap()
        };
        assert_eq!(cost(&store), 99500, "locked until the renewal");
        store.renew_licences(day("2027-03-01")).unwrap();
        assert_eq!(cost(&store), 104500);
        // Imported again: nothing changes.
        let again = store
            .preview_price_list(LIST.as_bytes(), &MappingRequest::default(), false, today)
            .unwrap();
        assert!(
            again.new_items.is_empty() && again.changed.is_empty(),
            "{again:?}"
        );
    }

    /// The sample books' own price list reads clean and finds licences to renew dearer.
    #[test]
    fn the_sample_price_list_has_changes_and_renewals_to_show() {
        let (_dir, mut store) = profiled_store();
        let today = day("2026-11-28");
        store.load_sample_data(today).unwrap();
        let list = store.sample_price_list(today).unwrap();
        let p = store
            .preview_price_list(&list, &MappingRequest::default(), false, today)
            .unwrap();
        assert!(
            p.summary.errors.is_empty() && p.summary.mapping_error.is_none(),
            "{:?}",
            p.summary
        );
        assert_eq!(p.summary.valid, 5 * 4 * 3);
        assert!(
            p.changed.iter().any(|c| c.sku == "M365-BS"),
            "{:?}",
            p.changed
        );
        assert!(!p.renewals.is_empty());
        assert_eq!(
            p.new_items
                .iter()
                .map(|c| &c.sku)
                .collect::<BTreeSet<_>>()
                .len(),
            10,
            "P1Y monthly and annual of each"
        );
        store
            .import_price_list(&list, &MappingRequest::default(), false, today)
            .unwrap();
    }
}
