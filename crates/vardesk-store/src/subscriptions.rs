//! Subscriptions (DOMAIN.md §5): the recurring lines a billing run charges. Added by hand
//! or by accepting a quote; edited for future runs; ended with an end date, never deleted,
//! so what was billed stays explained.

use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};
use rust_decimal::Decimal;
use serde::Serialize;
use vardesk_core::billing::{Interval, Period, SubscriptionTerms};
use vardesk_core::invoicing::SubscriptionForm;
use vardesk_core::{CoreError, Currency, ErrorCode};

use crate::invoices::sub_from_row;
use crate::{from_scaled, now, DbResult, Result, Store};

/// A subscription as the list shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SubscriptionRow {
    pub id: i64,
    pub customer_id: i64,
    pub customer: String,
    pub description: String,
    pub currency: Currency,
    pub quantity: Decimal,
    pub unit: String,
    pub unit_price: Decimal,
    pub discount_percent: Decimal,
    pub interval: &'static str,
    pub start_date: String,
    pub end_date: Option<String>,
    /// What one interval is charged (quantity × price less the discount).
    pub amount: Decimal,
    pub active: bool,
    /// The latest month a billing run put this subscription on an invoice.
    pub last_billed: Option<String>,
}

impl Store {
    /// Every subscription, customer by customer; `active` on `today`.
    pub fn list_subscriptions(&self, today: NaiveDate) -> Result<Vec<SubscriptionRow>> {
        let mut stmt = self
            .conn()
            .prepare(
                "SELECT s.*, c.name AS customer_name,
                    (SELECT max(period) FROM invoice_lines l WHERE l.subscription_id = s.id) AS last_billed
                 FROM subscriptions s
                 JOIN customers c ON c.id = s.customer_id ORDER BY c.name_fold, s.id",
            )
            .db()?;
        let subs = stmt
            .query_map([], |r| {
                Ok((sub_from_row(r)?, r.get::<_, Option<String>>("last_billed")?))
            })
            .db()?
            .collect::<rusqlite::Result<Vec<_>>>()
            .db()?;
        Ok(subs
            .into_iter()
            .map(|(s, last_billed)| {
                let t = &s.terms;
                let discount = t.discount_percent.unwrap_or_default();
                let amount = s.currency.round(
                    t.quantity * t.unit_price * (Decimal::ONE - discount / Decimal::ONE_HUNDRED),
                );
                SubscriptionRow {
                    id: s.id,
                    customer_id: s.customer_id,
                    customer: s.customer,
                    description: s.description,
                    currency: s.currency,
                    quantity: t.quantity,
                    unit: s.unit,
                    unit_price: t.unit_price,
                    discount_percent: discount,
                    interval: if t.interval == Interval::Annual {
                        "annual"
                    } else {
                        "monthly"
                    },
                    start_date: t.start_date.to_string(),
                    end_date: t.end_date.map(|d| d.to_string()),
                    amount,
                    active: t.start_date <= today && t.end_date.is_none_or(|e| e >= today),
                    last_billed,
                }
            })
            .collect())
    }

    /// A subscription as its form shows it, for editing.
    pub fn subscription_form(&self, id: i64) -> Result<SubscriptionForm> {
        self.conn()
            .query_row(
                "SELECT customer_id, catalog_item_id, description, quantity_e4, unit, unit_price_e4,
                    unit_cost_e4, discount_e2, tax_rate_e2, interval, start_date, end_date
                 FROM subscriptions WHERE id = ?1",
                [id],
                |r| {
                    let text = |v: i64, scale: u32| from_scaled(v, scale).to_string();
                    Ok(SubscriptionForm {
                        customer_id: r.get(0)?,
                        catalog_item_id: r.get(1)?,
                        description: r.get(2)?,
                        quantity: text(r.get(3)?, 4),
                        unit: r.get(4)?,
                        unit_price: text(r.get(5)?, 4),
                        unit_cost: text(r.get(6)?, 4),
                        discount_percent: text(r.get(7)?, 2),
                        tax_rate_percent: text(r.get(8)?, 2),
                        interval: r.get(9)?,
                        start_date: r.get(10)?,
                        end_date: r.get::<_, Option<String>>(11)?.unwrap_or_default(),
                    })
                },
            )
            .optional()
            .db()?
            .ok_or_else(|| not_found(id))
    }

    /// Creates (`id` None) or updates a subscription. A new one bills in its customer's
    /// currency; an existing one keeps its customer, and changes apply to later runs only
    /// (issued invoices keep what they charged).
    pub fn save_subscription(&mut self, id: Option<i64>, form: &SubscriptionForm) -> Result<i64> {
        let data = form.validate()?;
        let customer = self.customer(data.customer_id)?;
        let line = &data.line;
        let interval = match data.interval {
            Interval::Monthly => "monthly",
            Interval::Annual => "annual",
        };
        let n = crate::scaled_line(line)?;
        let start = data.start_date.to_string();
        let end = data.end_date.map(|d| d.to_string());
        self.write(|tx| {
            let stamp = now();
            match id {
                None => {
                    if customer.archived {
                        return Err(CoreError::validation(
                            "customer_id",
                            format!("{} is archived; restore the customer first.", customer.data.name),
                        ));
                    }
                    tx.execute(
                        "INSERT INTO subscriptions (customer_id, catalog_item_id, description, currency,
                            quantity_e4, unit, unit_price_e4, unit_cost_e4, discount_e2, tax_rate_e2,
                            interval, start_date, end_date, created_at, updated_at)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14)",
                        params![
                            data.customer_id, data.catalog_item_id, line.description,
                            customer.data.currency.code(), n.quantity, line.unit, n.unit_price, n.unit_cost,
                            n.discount, n.tax_rate, interval, start, end, stamp
                        ],
                    )
                    .db()?;
                    Ok(tx.last_insert_rowid())
                }
                Some(id) => {
                    let owner: i64 = tx
                        .query_row("SELECT customer_id FROM subscriptions WHERE id = ?1", [id], |r| r.get(0))
                        .optional()
                        .db()?
                        .ok_or_else(|| not_found(id))?;
                    if owner != data.customer_id {
                        return Err(CoreError::validation(
                            "customer_id",
                            "A subscription stays with its customer; end it and add a new one for the other customer.",
                        ));
                    }
                    // §6.1: the change takes effect from the first period not billed yet.
                    let (old, last_billed) = billed_terms(tx, id)?;
                    let wanted = SubscriptionTerms {
                        quantity: line.quantity,
                        unit_price: line.unit_price,
                        interval: data.interval,
                        start_date: data.start_date,
                        end_date: data.end_date,
                        discount_percent: line.discount_percent,
                        bill_from: None,
                        anniversary: None,
                    };
                    let next = old.changed_to(&wanted, last_billed)?;
                    tx.execute(
                        "UPDATE subscriptions SET catalog_item_id = ?2, description = ?3, quantity_e4 = ?4,
                            unit = ?5, unit_price_e4 = ?6, unit_cost_e4 = ?7, discount_e2 = ?8,
                            tax_rate_e2 = ?9, interval = ?10, start_date = ?11, end_date = ?12,
                            updated_at = ?13, bill_from = ?14, anniversary = ?15
                         WHERE id = ?1",
                        params![
                            id, data.catalog_item_id, line.description, n.quantity, line.unit, n.unit_price,
                            n.unit_cost, n.discount, n.tax_rate, interval, start, end, stamp,
                            next.bill_from.map(|d| d.to_string()),
                            next.anniversary.map(|d| d.to_string())
                        ],
                    )
                    .db()?;
                    Ok(id)
                }
            }
        })
    }

    /// Ends a subscription on `end_date` (inclusive): later months are no longer billed.
    pub fn end_subscription(&mut self, id: i64, end_date: &str) -> Result<()> {
        let mut form = self.subscription_form(id)?;
        form.end_date = end_date.to_string();
        self.save_subscription(Some(id), &form).map(|_| ())
    }
}

/// A subscription's terms as stored and the latest period on any invoice (drafts included).
fn billed_terms(
    conn: &rusqlite::Connection,
    id: i64,
) -> Result<(SubscriptionTerms, Option<Period>)> {
    let (sub, last): (crate::invoices::Sub, Option<String>) = conn
        .query_row(
            "SELECT s.*, '' AS customer_name,
                (SELECT max(period) FROM invoice_lines l WHERE l.subscription_id = s.id) AS last_billed
             FROM subscriptions s WHERE s.id = ?1",
            [id],
            |r| Ok((sub_from_row(r)?, r.get("last_billed")?)),
        )
        .db()?;
    let last = last.as_deref().map(Period::parse).transpose()?;
    Ok((sub.terms, last))
}

fn not_found(id: i64) -> CoreError {
    CoreError::new(
        ErrorCode::NotFound,
        format!("Subscription {id} does not exist."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{day, sample_store};

    fn first_active_customer(store: &Store) -> i64 {
        store
            .conn()
            .query_row(
                "SELECT min(id) FROM customers WHERE archived_at IS NULL",
                [],
                |r| r.get(0),
            )
            .unwrap()
    }

    fn form(customer: i64) -> SubscriptionForm {
        SubscriptionForm {
            customer_id: Some(customer),
            description: "Managed backup".into(),
            quantity: "10".into(),
            unit: "seat".into(),
            unit_price: "4.50".into(),
            unit_cost: "2".into(),
            tax_rate_percent: "19".into(),
            interval: "monthly".into(),
            start_date: "2027-01-15".into(),
            ..SubscriptionForm::default()
        }
    }

    #[test]
    fn a_subscription_added_by_hand_is_billed_prorated_then_ended() {
        let (_dir, mut store) = sample_store();
        let customer = first_active_customer(&store);
        let id = store.save_subscription(None, &form(customer)).unwrap();
        let row = store
            .list_subscriptions(day("2027-01-20"))
            .unwrap()
            .into_iter()
            .find(|s| s.id == id)
            .unwrap();
        assert_eq!((row.amount.to_string(), row.active), ("45.00".into(), true));
        let run = store.preview_billing_run("2027-01").unwrap();
        let line = run
            .invoices
            .iter()
            .flat_map(|i| &i.lines)
            .find(|l| l.subscription_id == id)
            .unwrap();
        assert_eq!(line.amount.to_string(), "24.68"); // 45 × 17/31 = 24.677…
        assert!(
            line.description.contains("anteilig 17/31 Tage"),
            "{}",
            line.description
        );

        store.end_subscription(id, "2027-01-31").unwrap();
        let february = store.preview_billing_run("2027-02").unwrap();
        assert!(february
            .invoices
            .iter()
            .flat_map(|i| &i.lines)
            .all(|l| l.subscription_id != id));
        assert!(
            store.end_subscription(id, "2026-12-31").is_err(),
            "before the start"
        );
        assert_eq!(store.subscription_form(id).unwrap().end_date, "2027-01-31");
    }

    #[test]
    fn a_subscription_keeps_its_customer_and_its_currency() {
        let (_dir, mut store) = sample_store();
        let customer = first_active_customer(&store);
        let id = store.save_subscription(None, &form(customer)).unwrap();
        let currency: String = store
            .conn()
            .query_row(
                "SELECT currency FROM subscriptions WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(
            currency,
            store.customer(customer).unwrap().data.currency.code()
        );
        let mut moved = form(customer);
        moved.customer_id = Some(customer + 1);
        assert!(store.save_subscription(Some(id), &moved).is_err());
        assert!(store
            .save_subscription(Some(9999), &form(customer))
            .is_err());
    }
}
