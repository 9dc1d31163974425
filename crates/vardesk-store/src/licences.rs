//! Microsoft licences at their term's end (DOMAIN.md §10): renewals — with the changes
//! scheduled for them and the catalog's then current price — or their end, and the renewal
//! calendar the dashboard and the subscriptions screen show.

use chrono::{Days, NaiveDate};
use rusqlite::params;
use rust_decimal::Decimal;
use serde::Serialize;
use vardesk_core::nce;

use crate::subscriptions::licence_from_row;
use crate::{from_scaled, now, to_scaled, DbResult, Result, Store};

/// A licence renewing (or ending) soon.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct Renewal {
    pub subscription_id: i64,
    pub customer_id: i64,
    pub customer: String,
    pub description: String,
    pub term: &'static str,
    /// The day the next term starts (or the licence is gone, without auto-renew).
    pub renews_on: String,
    pub auto_renew: bool,
    #[serde(with = "vardesk_core::money::serde_str")]
    #[specta(type = String)]
    pub seats: Decimal,
    /// The seats the renewal brings (a reduction scheduled for it, else the same).
    #[serde(with = "vardesk_core::money::serde_str")]
    #[specta(type = String)]
    pub seats_at_renewal: Decimal,
    /// What the renewed licence bills per interval (none when it ends).
    #[serde(with = "vardesk_core::money::serde_str")]
    #[specta(type = String)]
    pub value: Decimal,
    pub interval: String,
    pub currency: String,
}

/// What one renewal did.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct Renewed {
    pub subscription_id: i64,
    pub renewed_on: String,
    /// False: the licence ended with its term.
    pub renewed: bool,
}

impl Store {
    /// Renews every licence whose term ended before `day` (§10): an auto-renewing one starts
    /// a new term the day after, with the seats scheduled for it and the catalog's current
    /// price and cost; one that does not renew ends on its term's last day. Terms that ended
    /// several times over (books left closed) renew once per term, the changes at the first.
    /// One transaction; changes take effect from the first period not billed yet (§6.1).
    pub fn renew_licences(&mut self, day: NaiveDate) -> Result<Vec<Renewed>> {
        let due: Vec<(i64, Option<i64>, Option<i64>, String)> = crate::all_rows(
            self.conn(),
            "SELECT id, renewal_quantity_e4, catalog_item_id, currency FROM subscriptions
             WHERE term IS NOT NULL AND term_end < ?1 AND (end_date IS NULL OR end_date > term_end)",
            [day.to_string()],
        )?;
        if due.is_empty() {
            return Ok(Vec::new());
        }
        let catalog: Vec<_> = self.list_catalog()?;
        let mut plans = Vec::new();
        for (id, renewal_quantity, item, currency) in due {
            let licence = self
                .conn()
                .query_row(
                    "SELECT * FROM subscriptions WHERE id = ?1",
                    [id],
                    licence_from_row,
                )
                .db()?
                .ok_or_else(|| crate::internal("a licence without its term"))?;
            let price = item
                .and_then(|i| catalog.iter().find(|c| c.id == i))
                .zip(vardesk_core::Currency::parse(&currency).ok())
                .and_then(|(c, cur)| {
                    let kind = c.item.kind;
                    c.item.price_in(cur).map(|p| (p, kind))
                });
            plans.push((id, licence, renewal_quantity, price));
        }
        self.write(|tx| {
            let mut done = Vec::new();
            for (id, l, renewal_quantity, price) in &plans {
                let renews_on = l.term_end.succ_opt().unwrap_or(l.term_end);
                if !l.auto_renew {
                    tx.execute(
                        "UPDATE subscriptions SET end_date = ?2, updated_at = ?3 WHERE id = ?1",
                        params![id, l.term_end.to_string(), now()],
                    )
                    .db()?;
                    done.push(Renewed {
                        subscription_id: *id,
                        renewed_on: renews_on.to_string(),
                        renewed: false,
                    });
                    continue;
                }
                let (start, end) = nce::current_term(l.term_start, l.term_end, l.term, day);
                // The changes scheduled for the renewal, and the price from then on.
                if let Some(q) = renewal_quantity {
                    if *q == 0 {
                        tx.execute(
                            "UPDATE subscriptions SET end_date = ?2 WHERE id = ?1",
                            params![id, l.term_end.to_string()],
                        )
                        .db()?;
                    } else {
                        tx.execute(
                            "UPDATE subscriptions SET quantity_e4 = ?2 WHERE id = ?1",
                            params![id, q],
                        )
                        .db()?;
                    }
                }
                if let Some(((price, cost), kind)) = price {
                    let interval: String = tx
                        .query_row("SELECT interval FROM subscriptions WHERE id = ?1", [id], |r| r.get(0))
                        .db()?;
                    // A catalog price is per its own interval; the subscription's may differ.
                    let item_months = if *kind == vardesk_core::lines::LineKind::Annual { 12 } else { 1 };
                    let months = vardesk_core::billing::Interval::from_stored(&interval).months();
                    let scale = Decimal::from(months) / Decimal::from(item_months);
                    tx.execute(
                        "UPDATE subscriptions SET unit_price_e4 = ?2, unit_cost_e4 = ?3 WHERE id = ?1",
                        params![id, to_scaled(*price * scale, 4)?, to_scaled(*cost * scale, 4)?],
                    )
                    .db()?;
                }
                tx.execute(
                    "UPDATE subscriptions SET term_start = ?2, term_end = ?3,
                        renewal_quantity_e4 = NULL, updated_at = ?4 WHERE id = ?1",
                    params![id, start.to_string(), end.to_string(), now()],
                )
                .db()?;
                done.push(Renewed {
                    subscription_id: *id,
                    renewed_on: renews_on.to_string(),
                    renewed: true,
                });
            }
            Ok(done)
        })
    }

    /// The licences whose term ends within `days` days from `today`, soonest first.
    pub fn renewals(&self, today: NaiveDate, days: u64) -> Result<Vec<Renewal>> {
        let until = today + Days::new(days);
        let mut stmt = self
            .conn()
            .prepare(
                "SELECT s.*, c.name AS customer_name FROM subscriptions s
                 JOIN customers c ON c.id = s.customer_id
                 WHERE s.term IS NOT NULL AND (s.end_date IS NULL OR s.end_date >= ?1)",
            )
            .db()?;
        let rows = stmt
            .query_map([today.to_string()], |r| {
                Ok((
                    licence_from_row(r)?,
                    r.get::<_, i64>("id")?,
                    r.get::<_, i64>("customer_id")?,
                    r.get::<_, String>("customer_name")?,
                    r.get::<_, String>("description")?,
                    from_scaled(r.get("quantity_e4")?, 4),
                    r.get::<_, Option<i64>>("renewal_quantity_e4")?
                        .map(|q| from_scaled(q, 4)),
                    from_scaled(r.get("unit_price_e4")?, 4),
                    from_scaled(r.get("discount_e2")?, 2),
                    r.get::<_, String>("interval")?,
                    r.get::<_, String>("currency")?,
                ))
            })
            .db()?
            .collect::<rusqlite::Result<Vec<_>>>()
            .db()?;
        let mut out = Vec::new();
        for (
            l,
            id,
            customer_id,
            customer,
            description,
            seats,
            at_renewal,
            price,
            discount,
            interval,
            code,
        ) in rows
        {
            let Some(l) = l else { continue };
            let end = if l.auto_renew {
                nce::current_term(l.term_start, l.term_end, l.term, today).1
            } else {
                l.term_end
            };
            if end < today || end >= until {
                continue;
            }
            let currency = vardesk_core::Currency::parse(&code)?;
            let next = if l.auto_renew {
                at_renewal.unwrap_or(seats)
            } else {
                Decimal::ZERO
            };
            out.push(Renewal {
                subscription_id: id,
                customer_id,
                customer,
                description,
                term: l.term.as_str(),
                renews_on: end.succ_opt().unwrap_or(end).to_string(),
                auto_renew: l.auto_renew,
                seats,
                seats_at_renewal: next,
                value: currency
                    .round(next * price * (Decimal::ONE - discount / Decimal::ONE_HUNDRED)),
                interval,
                currency: code,
            });
        }
        out.sort_by(|a, b| (&a.renews_on, &a.customer).cmp(&(&b.renews_on, &b.customer)));
        Ok(out)
    }

    /// Schedules what a licence's renewal brings (§10): its seats from then on (`None`: as
    /// now) and whether it renews at all.
    pub fn schedule_renewal(
        &mut self,
        id: i64,
        seats: Option<Decimal>,
        auto_renew: bool,
        today: NaiveDate,
    ) -> Result<()> {
        if seats.is_some_and(|s| {
            s < Decimal::ZERO || s > Decimal::from(vardesk_core::bounds::MAX_COUNT)
        }) {
            return Err(vardesk_core::CoreError::validation(
                "quantity",
                "The seats at renewal must be from 0 to 1,000,000.",
            ));
        }
        let mut form = self.subscription_form(id)?;
        if form.term.is_empty() {
            return Err(vardesk_core::CoreError::validation(
                "id",
                format!("Subscription {id} is not a Microsoft licence with a term."),
            ));
        }
        form.auto_renew = Some(auto_renew);
        let seats = seats.map(|s| to_scaled(s, 4)).transpose()?;
        // The auto-renew switch (and the end it sets) through the one save path, then what
        // the renewal brings.
        let data = form.validate()?;
        let customer = self.customer(data.customer_id)?;
        self.write(|tx| {
            crate::subscriptions::write_subscription(tx, Some(id), &data, &customer, today)?;
            tx.execute(
                "UPDATE subscriptions SET renewal_quantity_e4 = ?2, updated_at = ?3 WHERE id = ?1",
                params![id, seats, now()],
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

    fn licence(store: &mut Store, start: &str, term: &str, item: Option<i64>) -> i64 {
        crate::test_support::licence(store, ("10", "20.00", "17.00"), start, term, item)
    }

    /// §10 across a year end: a P1Y licence from 15 Dec 2025 renews on 15 Dec 2026 with the
    /// seats scheduled for it and the catalog's new price; January bills the renewed terms.
    #[test]
    fn a_licence_renews_across_the_year_end_with_its_scheduled_seats_and_the_new_price() {
        let (_dir, mut store) = profiled_store();
        let mut form = vardesk_core::catalog::CatalogForm {
            kind: "monthly".into(),
            sku: "M365-BP".into(),
            name: "Microsoft 365 Business Premium".into(),
            unit: "seat".into(),
            currency: "EUR".into(),
            price: "20.00".into(),
            cost: "17.00".into(),
            tax_rate_percent: "19".into(),
            active: true,
            ..Default::default()
        };
        let item = store.save_catalog_item(None, &form).unwrap().id;
        let id = licence(&mut store, "2025-12-15", "P1Y", Some(item));
        let soon = store.renewals(day("2026-11-28"), 30).unwrap();
        assert_eq!(soon.len(), 1);
        assert_eq!(
            (soon[0].renews_on.as_str(), soon[0].value),
            ("2026-12-15", Decimal::new(20000, 2))
        );
        store
            .schedule_renewal(id, Some(Decimal::from(8)), true, day("2026-11-28"))
            .unwrap();
        assert_eq!(
            store.renewals(day("2026-11-28"), 30).unwrap()[0].value,
            Decimal::new(16000, 2)
        );
        assert!(
            store.renewals(day("2026-11-28"), 10).unwrap().is_empty(),
            "17 days away"
        );
        // The price list rises before the renewal.
        form.price = "22.00".into();
        form.cost = "18.70".into();
        store.save_catalog_item(Some(item), &form).unwrap();
        // December still bills the old term; nothing renews before the 15th.
        assert!(store.renew_licences(day("2026-12-01")).unwrap().is_empty());
        let renewed = store.renew_licences(day("2027-01-01")).unwrap();
        assert_eq!(
            renewed,
            [Renewed {
                subscription_id: id,
                renewed_on: "2026-12-15".into(),
                renewed: true
            }]
        );
        let row = store
            .list_subscriptions(day("2027-01-01"))
            .unwrap()
            .into_iter()
            .find(|s| s.id == id)
            .unwrap();
        assert_eq!(
            (row.quantity, row.unit_price),
            (Decimal::from(8), Decimal::new(220000, 4))
        );
        let l = row.licence.unwrap();
        assert_eq!(
            (l.term_start.as_str(), l.term_end.as_str()),
            ("2026-12-15", "2027-12-14")
        );
        assert!(
            store.renew_licences(day("2027-01-01")).unwrap().is_empty(),
            "once"
        );
    }

    #[test]
    fn a_licence_without_auto_renew_ends_with_its_term_and_is_billed_to_then() {
        let (_dir, mut store) = profiled_store();
        let id = licence(&mut store, "2026-01-15", "P1Y", None);
        store
            .schedule_renewal(id, None, false, day("2026-11-28"))
            .unwrap();
        let row = store
            .list_subscriptions(day("2026-11-28"))
            .unwrap()
            .into_iter()
            .find(|s| s.id == id)
            .unwrap();
        assert_eq!(row.end_date.as_deref(), Some("2027-01-14"));
        assert_eq!(
            store.renewals(day("2026-12-20"), 30).unwrap()[0].seats_at_renewal,
            Decimal::ZERO
        );
        let january = store.preview_billing_run("2027-01").unwrap();
        assert!(
            january.invoices[0].lines[0].description.contains("14/31"),
            "{:?}",
            january.invoices[0].lines
        );
        // Switched back on, the end that only said so goes again.
        store
            .schedule_renewal(id, None, true, day("2026-11-29"))
            .unwrap();
        let row = store
            .list_subscriptions(day("2026-11-29"))
            .unwrap()
            .into_iter()
            .find(|s| s.id == id)
            .unwrap();
        assert_eq!(row.end_date, None);
    }

    /// A quote's recurring line from a Microsoft licence in the catalog becomes a licence
    /// subscription with the item's term and ids when the quote is accepted.
    #[test]
    fn accepting_a_quote_with_a_licence_line_creates_a_termed_subscription() {
        let (_dir, mut store) = profiled_store();
        store
            .load_sample_data_without_billing(day("2026-11-23"))
            .unwrap();
        let from_quotes: Vec<(String, Option<String>, String)> = crate::all_rows(
            store.conn(),
            "SELECT s.description, s.term, s.ms_product_id FROM subscriptions s
             WHERE s.quote_id IS NOT NULL ORDER BY s.id",
            [],
        )
        .unwrap();
        assert!(!from_quotes.is_empty());
        for (description, term, product) in &from_quotes {
            let licence = description.starts_with("Microsoft 365")
                || description.starts_with("Microsoft Intune");
            assert_eq!(term.is_some(), licence, "{description}");
            assert_eq!(!product.is_empty(), licence, "{description}");
        }
    }
}
