//! Catalog items: list, create, edit.

use rusqlite::{params, OptionalExtension, Row};
use serde::Serialize;
use vardesk_core::catalog::{CatalogForm, CatalogItem, LocalPrice};
use vardesk_core::lines::LineKind;
use vardesk_core::{CoreError, Currency, ErrorCode};

use crate::{from_scaled, now, to_scaled, DbResult, Result, Store};

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct CatalogRecord {
    pub id: i64,
    #[serde(flatten)]
    pub item: CatalogItem,
}

fn kind_str(kind: LineKind) -> &'static str {
    match kind {
        LineKind::OneTime => "one_time",
        LineKind::Monthly => "monthly",
        LineKind::Annual => "annual",
    }
}

fn from_row(row: &Row<'_>) -> rusqlite::Result<CatalogRecord> {
    let kind: String = row.get("kind")?;
    let currency: String = row.get("currency")?;
    Ok(CatalogRecord {
        id: row.get("id")?,
        item: CatalogItem {
            kind: match kind.as_str() {
                "monthly" => LineKind::Monthly,
                "annual" => LineKind::Annual,
                _ => LineKind::OneTime,
            },
            sku: row.get("sku")?,
            name: row.get("name")?,
            unit: row.get("unit")?,
            currency: Currency::parse(&currency).unwrap_or(Currency::EUR),
            price: from_scaled(row.get("price_e4")?, 4),
            cost: from_scaled(row.get("cost_e4")?, 4),
            tax_rate_percent: from_scaled(row.get("tax_rate_e2")?, 2),
            active: row.get("active")?,
            goods: row.get("goods")?,
            other_prices: Vec::new(),
            microsoft: if row.get::<_, bool>("ms_licence")? {
                Some(vardesk_core::catalog::MsProduct {
                    product_id: row.get("ms_product_id")?,
                    sku_id: row.get("ms_sku_id")?,
                    term: row
                        .get::<_, Option<String>>("term")?
                        .and_then(|t| vardesk_core::nce::Term::parse(&t).ok()),
                    billing: row
                        .get::<_, Option<String>>("ms_billing")?
                        .and_then(|b| vardesk_core::nce::Billing::parse(&b).ok()),
                })
            } else {
                None
            },
        },
    })
}

/// Fills each record's prices in other currencies (one query for the whole list).
fn with_other_prices(
    conn: &rusqlite::Connection,
    mut records: Vec<CatalogRecord>,
) -> Result<Vec<CatalogRecord>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT item_id, currency, price_e4, cost_e4 FROM catalog_prices ORDER BY currency",
        )
        .db()?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, i64>(3)?,
            ))
        })
        .db()?;
    for row in rows {
        let (item, currency, price, cost) = row.db()?;
        let (Some(record), Ok(currency)) = (
            records.iter_mut().find(|r| r.id == item),
            Currency::parse(&currency),
        ) else {
            continue;
        };
        record.item.other_prices.push(LocalPrice {
            currency,
            price: from_scaled(price, 4),
            cost: from_scaled(cost, 4),
        });
    }
    Ok(records)
}

impl Store {
    pub fn list_catalog(&self) -> Result<Vec<CatalogRecord>> {
        let mut stmt = self
            .conn()
            .prepare("SELECT * FROM catalog_items ORDER BY active DESC, kind, name COLLATE NOCASE")
            .db()?;
        let items = stmt
            .query_map([], from_row)
            .db()?
            .collect::<rusqlite::Result<Vec<_>>>()
            .db()?;
        with_other_prices(self.conn(), items)
    }

    pub fn catalog_item(&self, id: i64) -> Result<CatalogRecord> {
        let record = self
            .conn()
            .query_row("SELECT * FROM catalog_items WHERE id = ?1", [id], from_row)
            .optional()
            .db()?
            .ok_or_else(|| {
                CoreError::new(
                    ErrorCode::NotFound,
                    format!("Catalog item {id} does not exist."),
                )
            })?;
        Ok(with_other_prices(self.conn(), vec![record])?.remove(0))
    }

    /// Creates (`id` None) or updates a catalog item from its form.
    pub fn save_catalog_item(
        &mut self,
        id: Option<i64>,
        form: &CatalogForm,
    ) -> Result<CatalogRecord> {
        let item = form.validate().map_err(CoreError::from)?;
        let id = self.write(|tx| insert_or_update(tx, id, &item))?;
        self.catalog_item(id)
    }

    pub fn insert_catalog_items(&mut self, items: &[CatalogItem]) -> Result<()> {
        self.write(|tx| {
            items
                .iter()
                .try_for_each(|i| insert_or_update(tx, None, i).map(|_| ()))
        })
    }
}

/// Inserts a validated item inside someone else's transaction.
pub(crate) fn insert_in(tx: &rusqlite::Transaction<'_>, item: &CatalogItem) -> Result<i64> {
    insert_or_update(tx, None, item)
}

pub(crate) fn insert_or_update(
    tx: &rusqlite::Transaction<'_>,
    id: Option<i64>,
    i: &CatalogItem,
) -> Result<i64> {
    let values = params![
        id,
        kind_str(i.kind),
        i.sku,
        i.name,
        i.unit,
        i.currency.code(),
        to_scaled(i.price, 4)?,
        to_scaled(i.cost, 4)?,
        to_scaled(i.tax_rate_percent, 2)?,
        i.active,
        now(),
        i.goods
    ];
    let sql = match id {
        None => {
            "INSERT INTO catalog_items (id, kind, sku, name, unit, currency, price_e4, cost_e4,
                    tax_rate_e2, active, created_at, updated_at, goods)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?12)"
        }
        Some(_) => {
            "UPDATE catalog_items SET kind = ?2, sku = ?3, name = ?4, unit = ?5, currency = ?6,
                    price_e4 = ?7, cost_e4 = ?8, tax_rate_e2 = ?9, active = ?10, updated_at = ?11,
                    goods = ?12
                 WHERE id = ?1"
        }
    };
    let id = match tx.execute(sql, values) {
        Ok(0) => Err(CoreError::new(
            ErrorCode::NotFound,
            "That catalog item does not exist.",
        )),
        Ok(_) => Ok(id.unwrap_or_else(|| tx.last_insert_rowid())),
        Err(rusqlite::Error::SqliteFailure(f, Some(msg)))
            if f.code == rusqlite::ErrorCode::ConstraintViolation && msg.contains("sku") =>
        {
            Err(CoreError::validation(
                "sku",
                format!("Another item already has SKU \"{}\".", i.sku),
            ))
        }
        Err(e) => Err(crate::db_error(e)),
    }?;
    let ms = i.microsoft.as_ref();
    tx.execute(
        "UPDATE catalog_items SET ms_licence = ?2, ms_product_id = ?3, ms_sku_id = ?4, term = ?5,
            ms_billing = ?6 WHERE id = ?1",
        params![
            id,
            ms.is_some(),
            ms.map(|m| m.product_id.as_str()).unwrap_or_default(),
            ms.map(|m| m.sku_id.as_str()).unwrap_or_default(),
            ms.and_then(|m| m.term).map(|t| t.as_str()),
            ms.and_then(|m| m.billing).map(|b| b.as_str())
        ],
    )
    .db()?;
    tx.execute("DELETE FROM catalog_prices WHERE item_id = ?1", [id])
        .db()?;
    for p in &i.other_prices {
        tx.execute(
            "INSERT INTO catalog_prices (item_id, currency, price_e4, cost_e4)
             VALUES (?1, ?2, ?3, ?4)",
            params![
                id,
                p.currency.code(),
                to_scaled(p.price, 4)?,
                to_scaled(p.cost, 4)?
            ],
        )
        .db()?;
    }
    Ok(id)
}

#[cfg(test)]
mod tests {
    use vardesk_core::catalog::{CatalogForm, LocalPriceForm};
    use vardesk_core::invoicing::SubscriptionForm;
    use vardesk_core::quote::LineForm;

    use crate::customers::CustomerQuery;
    use crate::test_support::{day, sample_store};

    fn sek(price: &str) -> LocalPriceForm {
        LocalPriceForm {
            currency: "SEK".into(),
            price: price.into(),
            cost: "95".into(),
        }
    }

    /// A Swedish customer's quote takes the item's SEK price; an item without one is refused
    /// naming it, on the quote and in the billing run.
    #[test]
    fn documents_use_the_price_in_their_currency_or_are_refused_naming_the_item() {
        let (_dir, mut store) = sample_store();
        let item = store
            .save_catalog_item(
                None,
                &CatalogForm {
                    kind: "monthly".into(),
                    sku: "SEC-AWARE".into(),
                    name: "Security awareness training".into(),
                    unit: "user/month".into(),
                    currency: "EUR".into(),
                    price: "9.90".into(),
                    cost: "6.00".into(),
                    tax_rate_percent: "19".into(),
                    active: true,
                    goods: false,
                    other_prices: vec![sek("112,00")],
                    ..CatalogForm::default()
                },
            )
            .unwrap();
        assert_eq!(item.item.other_prices.len(), 1);
        assert_eq!(item.item.other_prices[0].price.to_string(), "112");
        let twice = CatalogForm {
            other_prices: vec![sek("112"), sek("110")],
            ..form_of(&item.item)
        };
        let err = store.save_catalog_item(Some(item.id), &twice).unwrap_err();
        assert_eq!(err.fields[0].field, "other_prices[1].currency");
        let own = CatalogForm {
            other_prices: vec![LocalPriceForm {
                currency: "EUR".into(),
                ..sek("1")
            }],
            ..form_of(&item.item)
        };
        assert!(store.save_catalog_item(Some(item.id), &own).is_err());

        let swede = store
            .list_customers(&CustomerQuery {
                search: "AB".into(),
                ..Default::default()
            })
            .unwrap()
            .customers
            .into_iter()
            .find(|c| c.data.currency.code() == "SEK")
            .expect("a Swedish sample customer");
        let today = day("2026-11-23");
        let mut quote = store.new_quote_form(swede.id, today).unwrap();
        quote.title = "Awareness".into();
        quote.use_estimator = false;
        quote.lines = vec![LineForm {
            kind: "monthly".into(),
            source: "catalog".into(),
            description: item.item.name.clone(),
            quantity: "10".into(),
            unit: "user/month".into(),
            unit_price: "112".into(),
            unit_cost: "95".into(),
            discount_percent: "0".into(),
            tax_rate_percent: "25".into(),
            catalog_item_id: Some(item.id),
            goods: false,
        }];
        assert!(store.save_quote(None, &quote, today).is_ok());

        // Without its SEK price the same quote is refused, naming the item.
        store
            .save_catalog_item(Some(item.id), &form_of(&item.item))
            .unwrap();
        let err = store.save_quote(None, &quote, today).unwrap_err();
        assert!(
            err.fields[0]
                .message
                .contains("Security awareness training has no price in SEK"),
            "{err:?}"
        );

        // A subscription from before, billed in SEK: the run is refused naming the item and
        // the customer; the preview still shows what the run would bill.
        store
            .save_subscription(
                None,
                &SubscriptionForm {
                    customer_id: Some(swede.id),
                    catalog_item_id: Some(item.id),
                    description: item.item.name.clone(),
                    quantity: "10".into(),
                    unit: "user/month".into(),
                    unit_price: "112".into(),
                    unit_cost: "95".into(),
                    discount_percent: "0".into(),
                    tax_rate_percent: "25".into(),
                    interval: "monthly".into(),
                    start_date: "2027-01-01".into(),
                    end_date: String::new(),
                    ..SubscriptionForm::default()
                },
            )
            .unwrap();
        assert!(!store
            .preview_billing_run("2027-01")
            .unwrap()
            .invoices
            .is_empty());
        let err = store.run_billing("2027-01").unwrap_err();
        assert!(
            err.message.contains("has no price in SEK") && err.message.contains(&swede.data.name),
            "{}",
            err.message
        );
        let again = CatalogForm {
            other_prices: vec![sek("112")],
            ..form_of(&item.item)
        };
        store.save_catalog_item(Some(item.id), &again).unwrap();
        assert!(!store.run_billing("2027-01").unwrap().created.is_empty());
    }

    fn form_of(item: &vardesk_core::catalog::CatalogItem) -> CatalogForm {
        CatalogForm {
            kind: "monthly".into(),
            sku: item.sku.clone(),
            name: item.name.clone(),
            unit: item.unit.clone(),
            currency: item.currency.code().into(),
            price: item.price.to_string(),
            cost: item.cost.to_string(),
            tax_rate_percent: item.tax_rate_percent.to_string(),
            active: true,
            goods: false,
            other_prices: vec![],
            ..CatalogForm::default()
        }
    }

    /// Every sample item has a price in every currency the sample's customers use.
    #[test]
    fn the_sample_catalog_is_priced_in_every_sample_currency() {
        let (_dir, store) = sample_store();
        let customers = store
            .list_customers(&CustomerQuery::default())
            .unwrap()
            .customers;
        for item in store.list_catalog().unwrap() {
            for c in &customers {
                assert!(
                    item.item.price_in(c.data.currency).is_some(),
                    "{} in {}",
                    item.item.sku,
                    c.data.currency
                );
            }
            let sek = item
                .item
                .price_in(vardesk_core::Currency::parse("SEK").unwrap())
                .unwrap();
            assert!(sek.0 >= item.item.price * rust_decimal::Decimal::from(9));
        }
    }
}
