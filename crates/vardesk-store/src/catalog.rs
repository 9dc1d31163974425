//! Catalog items: list, create, edit.

use rusqlite::{params, OptionalExtension, Row};
use serde::Serialize;
use vardesk_core::catalog::{CatalogForm, CatalogItem};
use vardesk_core::lines::LineKind;
use vardesk_core::{CoreError, Currency, ErrorCode};

use crate::{from_scaled, now, to_scaled, DbResult, Result, Store};

#[derive(Debug, Clone, PartialEq, Serialize)]
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
        },
    })
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
        Ok(items)
    }

    pub fn catalog_item(&self, id: i64) -> Result<CatalogRecord> {
        self.conn()
            .query_row("SELECT * FROM catalog_items WHERE id = ?1", [id], from_row)
            .optional()
            .db()?
            .ok_or_else(|| {
                CoreError::new(
                    ErrorCode::NotFound,
                    format!("Catalog item {id} does not exist."),
                )
            })
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

fn insert_or_update(
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
    match tx.execute(sql, values) {
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
    }
}
