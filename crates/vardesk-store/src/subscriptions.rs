//! Subscriptions (DOMAIN.md §5): the recurring lines a billing run charges. Added by hand
//! or by accepting a quote; edited for future runs; ended with an end date, never deleted,
//! so what was billed stays explained.

use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension, Transaction};
use rust_decimal::Decimal;
use serde::Serialize;
use vardesk_core::billing::{Period, SubscriptionTerms};
use vardesk_core::invoicing::SubscriptionForm;
use vardesk_core::lines::Line;
use vardesk_core::nce::{self, Billing, CoTerm, CoTermChoice, Term};
use vardesk_core::{CoreError, Currency, ErrorCode};

use crate::billing_run::sub_from_row;
use crate::{from_scaled, now, DbResult, Result, Store};

/// A subscription as the list shows it.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
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
    /// A Microsoft licence's NCE terms (§10), the term holding `today`.
    pub licence: Option<LicenceRow>,
}

/// A licence subscription's terms as lists show them.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct LicenceRow {
    pub term: &'static str,
    pub billing: &'static str,
    pub term_start: String,
    pub term_end: String,
    /// The month the term renews in (or ends, without auto-renew).
    pub renewal_month: String,
    pub auto_renew: bool,
    pub ms_subscription_id: String,
    pub ms_product_id: String,
    pub ms_sku_id: String,
    /// The seats from the renewal on, when a reduction waits for it.
    #[serde(with = "vardesk_core::money::serde_str::option")]
    #[specta(type = Option<String>)]
    pub seats_at_renewal: Option<Decimal>,
    /// Seats that can still be removed, each batch with the last day of its 7-day window.
    pub open_windows: Vec<OpenWindow>,
}

/// Seats inside their 7-day window (§10): removable with a prorated credit until `until`.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct OpenWindow {
    #[serde(with = "vardesk_core::money::serde_str")]
    #[specta(type = String)]
    pub seats: Decimal,
    pub until: String,
}

/// A licence's stored NCE columns (§10).
pub(crate) struct StoredLicence {
    pub term: Term,
    pub billing: Billing,
    pub term_start: NaiveDate,
    pub term_end: NaiveDate,
    pub auto_renew: bool,
    pub ms_subscription_id: String,
    pub ms_product_id: String,
    pub ms_sku_id: String,
    pub renewal_quantity: Option<Decimal>,
}

/// The licence columns of a `subscriptions` row, if it has a term.
pub(crate) fn licence_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Option<StoredLicence>> {
    let Some(term) = r.get::<_, Option<String>>("term")? else {
        return Ok(None);
    };
    let date = |name: &str| -> rusqlite::Result<NaiveDate> {
        let text: String = r.get(name)?;
        text.parse().map_err(|_| {
            rusqlite::Error::FromSqlConversionFailure(
                0,
                rusqlite::types::Type::Text,
                format!("{name}: {text}").into(),
            )
        })
    };
    let (Ok(term), Ok(billing)) = (
        Term::parse(&term),
        Billing::parse(&r.get::<_, String>("ms_billing")?),
    ) else {
        return Ok(None);
    };
    Ok(Some(StoredLicence {
        term,
        billing,
        term_start: date("term_start")?,
        term_end: date("term_end")?,
        auto_renew: r.get::<_, i64>("auto_renew")? == 1,
        ms_subscription_id: r.get("ms_subscription_id")?,
        ms_product_id: r.get("ms_product_id")?,
        ms_sku_id: r.get("ms_sku_id")?,
        renewal_quantity: r
            .get::<_, Option<i64>>("renewal_quantity_e4")?
            .map(|q| from_scaled(q, 4)),
    }))
}

impl StoredLicence {
    /// As lists show it on `today`: the current term (rolled on while it auto-renews).
    fn row(&self, today: NaiveDate, quantity: Decimal, batches: &[StoredBatch]) -> LicenceRow {
        let (start, end) = if self.auto_renew {
            nce::current_term(self.term_start, self.term_end, self.term, today)
        } else {
            (self.term_start, self.term_end)
        };
        LicenceRow {
            term: self.term.as_str(),
            billing: self.billing.as_str(),
            term_start: start.to_string(),
            term_end: end.to_string(),
            renewal_month: nce::renewal_month(end).to_string(),
            auto_renew: self.auto_renew,
            ms_subscription_id: self.ms_subscription_id.clone(),
            ms_product_id: self.ms_product_id.clone(),
            ms_sku_id: self.ms_sku_id.clone(),
            seats_at_renewal: self.renewal_quantity,
            open_windows: open_windows(start, quantity, batches, today),
        }
    }
}

/// The seats a licence can still drop on `today`: its newest batches first, then the term's
/// own seats while the term is at most 7 days old (§10).
fn open_windows(
    term_start: NaiveDate,
    quantity: Decimal,
    batches: &[StoredBatch],
    today: NaiveDate,
) -> Vec<OpenWindow> {
    let mut out: Vec<OpenWindow> = batches
        .iter()
        .rev()
        .filter(|b| {
            b.batch.seats > Decimal::ZERO && nce::within_cancel_window(b.batch.bought_on, today)
        })
        .map(|b| OpenWindow {
            seats: b.batch.seats,
            until: nce::cancel_window_ends(b.batch.bought_on).to_string(),
        })
        .collect();
    let in_batches: Decimal = batches.iter().map(|b| b.batch.seats).sum();
    let own = quantity - in_batches;
    if own > Decimal::ZERO && nce::within_cancel_window(term_start, today) {
        out.push(OpenWindow {
            seats: own,
            until: nce::cancel_window_ends(term_start).to_string(),
        });
    }
    out
}

/// A new subscription's row, however it comes: typed, from an accepted quote, or imported.
pub(crate) struct NewSubscription<'a> {
    pub(crate) customer_id: i64,
    pub(crate) quote_id: Option<i64>,
    pub(crate) catalog_item_id: Option<i64>,
    pub(crate) line: &'a Line,
    pub(crate) currency: &'a str,
    pub(crate) interval: &'a str,
    pub(crate) start_date: String,
    pub(crate) end_date: Option<String>,
    /// The first period VarDesk bills (an imported one the old tool billed before, §11).
    pub(crate) bill_from: Option<String>,
}

/// Adds a subscription: the one place its row is written. Returns its id.
pub(crate) fn insert_subscription(tx: &Transaction<'_>, s: NewSubscription<'_>) -> Result<i64> {
    let n = crate::scaled_line(s.line)?;
    tx.execute(
        "INSERT INTO subscriptions (customer_id, quote_id, catalog_item_id, description, currency,
            quantity_e4, unit, unit_price_e4, unit_cost_e4, discount_e2, tax_rate_e2, interval,
            start_date, end_date, bill_from, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?16)",
        params![
            s.customer_id,
            s.quote_id,
            s.catalog_item_id,
            s.line.description,
            s.currency,
            n.quantity,
            s.line.unit,
            n.unit_price,
            n.unit_cost,
            n.discount,
            n.tax_rate,
            s.interval,
            s.start_date,
            s.end_date,
            s.bill_from,
            now()
        ],
    )
    .db()?;
    Ok(tx.last_insert_rowid())
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
                Ok((
                    sub_from_row(r)?,
                    r.get::<_, Option<String>>("last_billed")?,
                    licence_from_row(r)?,
                ))
            })
            .db()?
            .collect::<rusqlite::Result<Vec<_>>>()
            .db()?;
        let batches = all_seat_batches(self.conn())?;
        subs.into_iter()
            .map(|(s, last_billed, licence)| -> Result<SubscriptionRow> {
                let t = &s.terms;
                let discount = t.discount_percent.unwrap_or_default();
                let amount = s.currency.round(
                    t.quantity * t.unit_price * (Decimal::ONE - discount / Decimal::ONE_HUNDRED),
                );
                Ok(SubscriptionRow {
                    id: s.id,
                    customer_id: s.customer_id,
                    customer: s.customer,
                    description: s.description,
                    currency: s.currency,
                    quantity: t.quantity,
                    unit: s.unit,
                    unit_price: t.unit_price,
                    discount_percent: discount,
                    interval: t.interval.as_str(),
                    start_date: t.start_date.to_string(),
                    end_date: t.end_date.map(|d| d.to_string()),
                    amount,
                    active: t.start_date <= today && t.end_date.is_none_or(|e| e >= today),
                    last_billed,
                    licence: licence.map(|l| {
                        l.row(
                            today,
                            t.quantity,
                            batches.get(&s.id).map_or(&[], Vec::as_slice),
                        )
                    }),
                })
            })
            .collect()
    }

    /// A subscription as its form shows it, for editing.
    pub fn subscription_form(&self, id: i64) -> Result<SubscriptionForm> {
        self.conn()
            .query_row(
                "SELECT customer_id, catalog_item_id, description, quantity_e4, unit, unit_price_e4,
                    unit_cost_e4, discount_e2, tax_rate_e2, interval, start_date, end_date, term,
                    ms_billing, auto_renew, ms_subscription_id, ms_product_id, ms_sku_id
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
                        term: r.get::<_, Option<String>>(12)?.unwrap_or_default(),
                        billing: r.get::<_, Option<String>>(13)?.unwrap_or_default(),
                        coterm_with: String::new(),
                        auto_renew: Some(r.get::<_, i64>(14)? == 1),
                        ms_subscription_id: r.get(15)?,
                        ms_product_id: r.get(16)?,
                        ms_sku_id: r.get(17)?,
                    })
                },
            )
            .optional()
            .db()?
            .ok_or_else(|| not_found(id))
    }

    /// Creates (`id` None) or updates a subscription. A new one bills in its customer's
    /// currency; an existing one keeps its customer, and changes apply to later runs only
    /// (issued invoices keep what they charged). A licence's seats change as §10 says, today.
    pub fn save_subscription(&mut self, id: Option<i64>, form: &SubscriptionForm) -> Result<i64> {
        let today = crate::today();
        self.save_subscription_on(id, form, today).map(|s| s.id)
    }

    /// [`Store::save_subscription`] on `today`: a licence's added seats are a batch billed
    /// for the rest of the period; removed seats go now within their 7-day window (with a
    /// prorated credit note for what was billed) and wait for the renewal after it.
    pub fn save_subscription_on(
        &mut self,
        id: Option<i64>,
        form: &SubscriptionForm,
        today: NaiveDate,
    ) -> Result<SavedSubscription> {
        let mut data = form.validate()?;
        let customer = self.customer(data.customer_id)?;
        let seats = match id {
            Some(id) if data.licence.is_some() => {
                self.seat_change(id, data.line.quantity, today)?
            }
            _ => None,
        };
        if let Some(change) = &seats {
            data.line.quantity = change.quantity_now;
        }
        let body = |tx: &rusqlite::Transaction<'_>| -> Result<i64> {
            let saved = write_subscription(tx, id, &data, &customer, today)?;
            if let Some(change) = &seats {
                apply_seat_change(tx, saved, change, today)?;
            }
            Ok(saved)
        };
        let mut credit_notes = Vec::new();
        let saved_id = match seats.as_ref().and_then(|c| c.credits.first()) {
            None => self.write(body)?,
            Some(first) => {
                let note = self.credit_with(first.invoice_id, &first.order(), today, |tx| {
                    body(tx).map(|_| ())
                })?;
                credit_notes.extend(note.number);
                for more in &seats
                    .as_ref()
                    .map(|c| c.credits.clone())
                    .unwrap_or_default()[1..]
                {
                    credit_notes.extend(self.credit(more.invoice_id, &more.order(), today)?.number);
                }
                id.unwrap_or_default()
            }
        };
        Ok(SavedSubscription {
            id: saved_id,
            added: seats.as_ref().map_or(Decimal::ZERO, |c| c.plan.added),
            removed: seats
                .as_ref()
                .map_or(Decimal::ZERO, |c| c.plan.removed_now()),
            at_renewal: seats
                .as_ref()
                .and_then(|c| c.plan.at_renewal.map(|q| (q, c.renews_on))),
            credit_notes,
        })
    }

    /// What changing licence `id` to `wanted` seats on `today` does; `None` when it is no
    /// licence or its seats stay. Refused while a draft invoice bills seats it would remove.
    fn seat_change(
        &self,
        id: i64,
        wanted: Decimal,
        today: NaiveDate,
    ) -> Result<Option<SeatChange>> {
        let conn = self.conn();
        let Some((current, licence)) = conn
            .query_row("SELECT * FROM subscriptions WHERE id = ?1", [id], |r| {
                Ok((from_scaled(r.get("quantity_e4")?, 4), licence_from_row(r)?))
            })
            .optional()
            .db()?
        else {
            return Err(not_found(id));
        };
        let Some(licence) = licence.filter(|_| current != wanted) else {
            return Ok(None);
        };
        let (term_start, term_end) = if licence.auto_renew {
            nce::current_term(licence.term_start, licence.term_end, licence.term, today)
        } else {
            (licence.term_start, licence.term_end)
        };
        let batches = seat_batches(conn, id)?;
        let held: Vec<nce::SeatBatch> = batches.iter().map(|b| b.batch.clone()).collect();
        let plan = nce::plan_seats(current, wanted, today, term_start, &held);
        let (terms, _) = billed_terms(conn, id)?;
        let (from, to, key) = terms.period_of(today);
        let regular = billed_line(
            conn,
            "l.subscription_id = ?1 AND l.period = ?2",
            params![id, key.to_string()],
        )?;
        // Each removed part is credited where today's period was billed.
        let mut credits: Vec<SeatCredit> = Vec::new();
        let currency = self.customer_of_subscription(id)?;
        let discount = terms.discount_percent.unwrap_or_default();
        let days = u32::try_from((to - from).num_days() + 1).unwrap_or(1);
        let remaining = nce::days_remaining(today, to);
        for (batch, seats) in &plan.removed {
            let own = batch.and_then(|b| batches.iter().find(|x| x.batch.id == b));
            let target = match own {
                Some(b) if b.own_line && terms.period_of(b.batch.bought_on).2 == key => {
                    billed_line(conn, "l.seat_batch_id = ?1", params![b.batch.id])?
                }
                _ => regular.clone(),
            };
            let Some(line) = target else { continue };
            if line.status == "draft" {
                return Err(CoreError::new(
                    ErrorCode::Conflict,
                    "A draft invoice bills the seats to remove: issue it (they are then credited) \
                     or delete it and bill again.",
                ));
            }
            if line.status != "issued" {
                continue;
            }
            let net = nce::prorated_seats(
                *seats,
                terms.unit_price,
                discount,
                remaining,
                days,
                currency,
            )?;
            if net.is_zero() {
                continue;
            }
            match credits.iter_mut().find(|c| c.invoice_id == line.invoice_id) {
                Some(c) => {
                    c.net += net;
                    c.seats += *seats;
                }
                None => credits.push(SeatCredit {
                    invoice_id: line.invoice_id,
                    amount: crate::credits::FixedCreditForm {
                        category: line.category,
                        rate: line.rate,
                        net: String::new(),
                    },
                    net,
                    seats: *seats,
                    reason: String::new(),
                }),
            }
        }
        let language = self.customer_language(id)?;
        let locale = self.settings()?.map(|s| s.locale).unwrap_or_default();
        let texts = vardesk_core::i18n::texts(&language);
        for c in &mut credits {
            c.amount.net = c.net.to_string();
            c.reason = texts.removed_seats(
                &c.seats.normalize().to_string(),
                today,
                to,
                texts.locale(&locale),
            );
        }
        Ok(Some(SeatChange {
            quantity_now: current + plan.added - plan.removed_now(),
            own_line: today > from || regular.is_some(),
            renews_on: term_end.succ_opt().unwrap_or(term_end),
            plan,
            credits,
        }))
    }

    fn customer_of_subscription(&self, id: i64) -> Result<vardesk_core::Currency> {
        let code: String = self
            .conn()
            .query_row(
                "SELECT currency FROM subscriptions WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .db()?;
        vardesk_core::Currency::parse(&code)
    }

    fn customer_language(&self, id: i64) -> Result<String> {
        let (language, country): (String, String) = self
            .conn()
            .query_row(
                "SELECT c.language, c.country FROM subscriptions s JOIN customers c ON c.id = s.customer_id
                 WHERE s.id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .db()?;
        Ok(vardesk_core::language::of_customer(&language, &country).to_string())
    }

    /// Ends a subscription on `end_date` (inclusive): later months are no longer billed.
    pub fn end_subscription(&mut self, id: i64, end_date: &str) -> Result<()> {
        let mut form = self.subscription_form(id)?;
        form.end_date = end_date.to_string();
        self.save_subscription(Some(id), &form).map(|_| ())
    }
}

/// What saving a subscription did: its id and, for a licence, its seats (§10).
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct SavedSubscription {
    pub id: i64,
    #[serde(with = "vardesk_core::money::serde_str")]
    #[specta(type = String)]
    pub added: Decimal,
    #[serde(with = "vardesk_core::money::serde_str")]
    #[specta(type = String)]
    pub removed: Decimal,
    /// The seats from the renewal on and the day it renews, when a reduction waits.
    pub at_renewal: Option<(Decimal, NaiveDate)>,
    /// The credit notes issued for removed seats that were billed.
    pub credit_notes: Vec<String>,
}

/// A licence's seat change, planned.
struct SeatChange {
    quantity_now: Decimal,
    plan: nce::SeatPlan,
    /// Whether seats added today get their own prorated line (their period started before
    /// today, or was billed already).
    own_line: bool,
    renews_on: NaiveDate,
    credits: Vec<SeatCredit>,
}

/// A prorated credit for removed seats on the invoice that billed them.
#[derive(Debug, Clone)]
struct SeatCredit {
    invoice_id: i64,
    amount: crate::credits::FixedCreditForm,
    net: Decimal,
    seats: Decimal,
    reason: String,
}

impl SeatCredit {
    fn order(&self) -> crate::credits::CreditOrder<'_> {
        crate::credits::CreditOrder {
            everything: false,
            lines: &[],
            amounts: std::slice::from_ref(&self.amount),
            reason: &self.reason,
        }
    }
}

/// A seat batch as stored, with its seats still held.
pub(crate) struct StoredBatch {
    pub(crate) batch: nce::SeatBatch,
    pub(crate) own_line: bool,
}

/// A licence's seat batches, oldest first.
pub(crate) fn seat_batches(conn: &rusqlite::Connection, id: i64) -> Result<Vec<StoredBatch>> {
    Ok(batches_where(conn, "WHERE subscription_id = ?1", [id])?
        .remove(&id)
        .unwrap_or_default())
}

/// Every licence's seat batches, oldest first, by subscription: one query for a list or a
/// billing run.
pub(crate) fn all_seat_batches(
    conn: &rusqlite::Connection,
) -> Result<std::collections::HashMap<i64, Vec<StoredBatch>>> {
    batches_where(conn, "", [])
}

fn batches_where(
    conn: &rusqlite::Connection,
    condition: &str,
    values: impl rusqlite::Params,
) -> Result<std::collections::HashMap<i64, Vec<StoredBatch>>> {
    let mut out: std::collections::HashMap<i64, Vec<StoredBatch>> = Default::default();
    let rows = crate::all_rows::<(i64, i64, String, i64, i64, bool)>(
        conn,
        &format!(
            "SELECT subscription_id, id, bought_on, quantity_e4, removed_e4, own_line
             FROM seat_batches {condition} ORDER BY bought_on, id"
        ),
        values,
    )?;
    for (sub, bid, day, q, removed, own_line) in rows {
        let Ok(bought_on) = day.parse() else { continue };
        out.entry(sub).or_default().push(StoredBatch {
            batch: nce::SeatBatch {
                id: bid,
                bought_on,
                seats: from_scaled(q - removed, 4),
            },
            own_line,
        });
    }
    Ok(out)
}

/// An invoice line that billed something, with its invoice's status and tax.
#[derive(Debug, Clone)]
struct BilledLine {
    invoice_id: i64,
    status: String,
    category: String,
    rate: String,
}

fn billed_line(
    conn: &rusqlite::Connection,
    condition: &str,
    values: impl rusqlite::Params,
) -> Result<Option<BilledLine>> {
    conn.query_row(
        &format!(
            "SELECT l.invoice_id, i.status, coalesce(l.tax_category, ''), l.tax_rate_e2
             FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
             WHERE i.kind = 'invoice' AND i.status <> 'void' AND {condition} LIMIT 1"
        ),
        values,
        |r| {
            Ok(BilledLine {
                invoice_id: r.get(0)?,
                status: r.get(1)?,
                category: r.get(2)?,
                rate: from_scaled(r.get(3)?, 2).normalize().to_string(),
            })
        },
    )
    .optional()
    .db()
}

/// Writes a planned seat change: the new batch, the seats removed from batches, and what
/// the renewal brings.
fn apply_seat_change(
    tx: &rusqlite::Connection,
    id: i64,
    change: &SeatChange,
    today: NaiveDate,
) -> Result<()> {
    if change.plan.added > Decimal::ZERO {
        tx.execute(
            "INSERT INTO seat_batches (subscription_id, bought_on, quantity_e4, own_line, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, today.to_string(), crate::to_scaled(change.plan.added, 4)?, change.own_line, now()],
        )
        .db()?;
    }
    for (batch, seats) in &change.plan.removed {
        if let Some(batch) = batch {
            tx.execute(
                "UPDATE seat_batches SET removed_e4 = removed_e4 + ?2 WHERE id = ?1",
                params![batch, crate::to_scaled(*seats, 4)?],
            )
            .db()?;
        }
    }
    tx.execute(
        "UPDATE subscriptions SET renewal_quantity_e4 = ?2 WHERE id = ?1",
        params![
            id,
            change
                .plan
                .at_renewal
                .map(|q| crate::to_scaled(q, 4))
                .transpose()?
        ],
    )
    .db()?;
    Ok(())
}

/// Inserts or updates a subscription row (the licence columns too), in `tx`.
pub(crate) fn write_subscription(
    tx: &rusqlite::Transaction<'_>,
    id: Option<i64>,
    data: &vardesk_core::invoicing::SubscriptionData,
    customer: &crate::customers::CustomerRecord,
    today: NaiveDate,
) -> Result<i64> {
    let line = &data.line;
    let interval = data.interval.as_str();
    let n = crate::scaled_line(line)?;
    let start = data.start_date.to_string();
    let end = data.end_date.map(|d| d.to_string());
    let stamp = now();
    let saved = match id {
        None => {
            if customer.archived {
                return Err(CoreError::validation(
                    "customer_id",
                    format!(
                        "{} is archived; restore the customer first.",
                        customer.data.name
                    ),
                ));
            }
            insert_subscription(
                tx,
                NewSubscription {
                    customer_id: data.customer_id,
                    quote_id: None,
                    catalog_item_id: data.catalog_item_id,
                    line,
                    currency: customer.data.currency.code(),
                    interval,
                    start_date: start.clone(),
                    end_date: end.clone(),
                    bill_from: None,
                },
            )?
        }
        Some(id) => {
            let owner: i64 = tx
                .query_row(
                    "SELECT customer_id FROM subscriptions WHERE id = ?1",
                    [id],
                    |r| r.get(0),
                )
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
                    id,
                    data.catalog_item_id,
                    line.description,
                    n.quantity,
                    line.unit,
                    n.unit_price,
                    n.unit_cost,
                    n.discount,
                    n.tax_rate,
                    interval,
                    start,
                    end,
                    stamp,
                    next.bill_from.map(|d| d.to_string()),
                    next.anniversary.map(|d| d.to_string())
                ],
            )
            .db()?;
            id
        }
    };
    save_licence(
        tx,
        saved,
        data.customer_id,
        data.start_date,
        data.licence.as_ref(),
        id.is_none(),
        today,
    )?;
    Ok(saved)
}

/// Writes a subscription's NCE columns (§10). A new licence's first term runs from its start
/// to its natural end or the co-termed one; an existing licence keeps its current term's
/// start, its end following a changed term; a plain subscription has none.
pub(crate) fn save_licence(
    tx: &rusqlite::Connection,
    id: i64,
    customer_id: i64,
    start: NaiveDate,
    licence: Option<&nce::Licence>,
    new: bool,
    today: NaiveDate,
) -> Result<()> {
    let Some(l) = licence else {
        tx.execute(
            "UPDATE subscriptions SET term = NULL, ms_billing = NULL, term_start = NULL,
                term_end = NULL, ms_subscription_id = '', ms_product_id = '', ms_sku_id = ''
             WHERE id = ?1",
            [id],
        )
        .db()?;
        return Ok(());
    };
    let was_ending: bool = tx
        .query_row(
            "SELECT auto_renew = 0 FROM subscriptions WHERE id = ?1",
            [id],
            |r| r.get(0),
        )
        .db()?;
    let stored: Option<(String, String, String)> = tx
        .query_row(
            "SELECT term, term_start, term_end FROM subscriptions WHERE id = ?1 AND term IS NOT NULL",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()
        .db()?;
    let (term_start, term_end) = match stored {
        Some((term, s, e)) if !new => {
            let s: NaiveDate = s.parse().map_err(|_| crate::internal("term_start"))?;
            let e: NaiveDate = e.parse().map_err(|_| crate::internal("term_end"))?;
            if term == l.term.as_str() {
                (s, e)
            } else {
                (s, nce::term_end(s, l.term))
            }
        }
        _ => {
            let coterm = match l.coterm {
                None => CoTerm::None,
                Some(CoTermChoice::MonthEnd) => CoTerm::MonthEnd,
                Some(CoTermChoice::Subscription(other)) => {
                    CoTerm::With(coterm_end(tx, other, customer_id, start)?)
                }
            };
            (start, nce::first_term_end(start, l.term, coterm)?)
        }
    };
    if !l.ms_subscription_id.is_empty() {
        let taken: Option<String> = tx
            .query_row(
                "SELECT c.name FROM subscriptions s JOIN customers c ON c.id = s.customer_id
                 WHERE s.ms_subscription_id = ?1 AND s.id <> ?2",
                params![l.ms_subscription_id, id],
                |r| r.get(0),
            )
            .optional()
            .db()?;
        if let Some(name) = taken {
            return Err(CoreError::validation(
                "ms_subscription_id",
                format!("A subscription of {name} already has this Microsoft subscription id."),
            ));
        }
    }
    tx.execute(
        "UPDATE subscriptions SET term = ?2, ms_billing = ?3, term_start = ?4, term_end = ?5,
            auto_renew = ?6, ms_subscription_id = ?7, ms_product_id = ?8, ms_sku_id = ?9
         WHERE id = ?1",
        params![
            id,
            l.term.as_str(),
            l.billing.as_str(),
            term_start.to_string(),
            term_end.to_string(),
            l.auto_renew,
            l.ms_subscription_id,
            l.ms_product_id,
            l.ms_sku_id
        ],
    )
    .db()?;
    // §10: without auto-renew the licence ends with its current term; switched back on, an
    // end that only said so goes again.
    let (_, current_end) = nce::current_term(term_start, term_end, l.term, today);
    let current_end = current_end.to_string();
    if !l.auto_renew {
        tx.execute(
            "UPDATE subscriptions SET end_date = ?2
             WHERE id = ?1 AND (end_date IS NULL OR end_date > ?2)",
            params![id, current_end],
        )
        .db()?;
    } else if was_ending {
        tx.execute(
            "UPDATE subscriptions SET end_date = NULL WHERE id = ?1 AND end_date = ?2",
            params![id, current_end],
        )
        .db()?;
    }
    Ok(())
}

/// The end a new licence of `customer_id` starting on `start` co-terms with: the end of the
/// term of licence `other` that holds `start`.
fn coterm_end(
    tx: &rusqlite::Connection,
    other: i64,
    customer_id: i64,
    start: NaiveDate,
) -> Result<NaiveDate> {
    let found = tx
        .query_row(
            "SELECT * FROM subscriptions WHERE id = ?1 AND customer_id = ?2",
            params![other, customer_id],
            licence_from_row,
        )
        .optional()
        .db()?
        .flatten();
    let l = found.ok_or_else(|| {
        CoreError::validation(
            "coterm_with",
            format!(
                "Subscription {other} is not a Microsoft licence of this customer to end with."
            ),
        )
    })?;
    Ok(nce::term_holding(l.term_start, l.term_end, l.term, start).1)
}

/// A subscription's terms as stored and the latest period on any invoice (drafts included).
pub(crate) fn billed_terms(
    conn: &rusqlite::Connection,
    id: i64,
) -> Result<(SubscriptionTerms, Option<Period>)> {
    let (sub, last): (crate::billing_run::Sub, Option<String>) = conn
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

#[cfg(test)]
mod seat_tests {
    use super::*;
    use crate::test_support::{day, profiled_store};

    fn licence(store: &mut Store, seats: &str, start: &str, term: &str) -> i64 {
        crate::test_support::licence(store, (seats, "12.00", "10.00"), start, term, None)
    }

    fn seats(store: &mut Store, id: i64, wanted: &str, on: &str) -> Result<SavedSubscription> {
        let mut form = store.subscription_form(id).unwrap();
        form.quantity = wanted.into();
        store.save_subscription_on(Some(id), &form, day(on))
    }

    fn bill(store: &mut Store, period: &str, on: &str) -> Vec<(String, Decimal)> {
        let run = store.run_billing(period).unwrap();
        let mut lines = Vec::new();
        for id in run.created {
            store.issue_invoice(id, day(on)).unwrap();
        }
        for inv in run.invoices {
            lines.extend(inv.lines.into_iter().map(|l| (l.description, l.amount)));
        }
        lines
    }

    fn quantity(store: &Store, id: i64) -> String {
        store.subscription_form(id).unwrap().quantity
    }

    /// §10: added seats are billed for the rest of the period on the next invoice, then
    /// with the subscription; removed within their window they go at once, after it they
    /// wait for the renewal.
    #[test]
    fn added_seats_bill_prorated_and_go_only_within_their_window() {
        let (_dir, mut store) = profiled_store();
        let id = licence(&mut store, "10", "2026-01-01", "P1Y");
        bill(&mut store, "2026-11", "2026-11-01");
        let added = seats(&mut store, id, "13", "2026-11-20").unwrap();
        assert_eq!(
            (added.added, added.removed),
            (Decimal::from(3), Decimal::ZERO)
        );
        let windows = |store: &Store, on: &str| -> Vec<(Decimal, String)> {
            let rows = store.list_subscriptions(day(on)).unwrap();
            let l = rows
                .into_iter()
                .find(|r| r.id == id)
                .unwrap()
                .licence
                .unwrap();
            l.open_windows
                .into_iter()
                .map(|w| (w.seats, w.until))
                .collect()
        };
        assert_eq!(
            windows(&store, "2026-11-22"),
            [(Decimal::from(3), "2026-11-27".to_string())]
        );
        assert!(
            windows(&store, "2026-11-28").is_empty(),
            "closed after the 7th day"
        );
        // Two of the three go again within 7 days: no credit (not billed yet).
        let less = seats(&mut store, id, "11", "2026-11-24").unwrap();
        assert_eq!(
            (less.removed, less.at_renewal, less.credit_notes.len()),
            (Decimal::TWO, None, 0)
        );
        // Three more: the one seat left in the window goes, the others wait for 1 January.
        let more = seats(&mut store, id, "8", "2026-11-26").unwrap();
        assert_eq!(more.removed, Decimal::ONE);
        assert_eq!(more.at_renewal, Some((Decimal::from(8), day("2027-01-01"))));
        assert_eq!(quantity(&store, id), "10");
        let december = bill(&mut store, "2026-12", "2026-12-01");
        assert_eq!(
            december.len(),
            1,
            "the batch has no seats left: {december:?}"
        );
        assert_eq!(december[0].1, Decimal::new(12000, 2));
        // Added again on 20 December: 2 × 12.00 × 12/31 = 9.29 on January's invoice.
        seats(&mut store, id, "12", "2026-12-20").unwrap();
        let january = bill(&mut store, "2027-01", "2027-01-01");
        let amounts: Vec<_> = january.iter().map(|l| l.1).collect();
        assert_eq!(
            amounts,
            [Decimal::new(14400, 2), Decimal::new(929, 2)],
            "{january:?}"
        );
        assert!(
            january[1].0.ends_with(
                "— 2 zusätzliche Lizenzen, 20.12.2026 – 31.12.2026 (anteilig 12/31 Tage)"
            ),
            "{}",
            january[1].0
        );
        assert!(
            bill(&mut store, "2027-01", "2027-01-02").is_empty(),
            "billed once"
        );
        let report = store.check().unwrap();
        assert!(report.ok, "{report:?}");
    }

    #[test]
    fn seats_removed_within_the_window_of_a_billed_term_are_credited_prorated() {
        let (_dir, mut store) = profiled_store();
        let id = licence(&mut store, "5", "2026-11-25", "P1M");
        let november = bill(&mut store, "2026-11", "2026-11-25");
        assert_eq!(november[0].1, Decimal::new(1200, 2), "5 × 12.00 × 6/30");
        let out = seats(&mut store, id, "2", "2026-11-27").unwrap();
        assert_eq!((out.removed, out.credit_notes.len()), (Decimal::from(3), 1));
        // 3 × 12.00 × 4/30 = 4.80 net, 5.71 with 19 % VAT.
        let notes = store.list_invoices(None, None, day("2026-11-27")).unwrap();
        let note = notes
            .iter()
            .find(|n| n.kind == vardesk_core::standing::DocumentKind::CreditNote)
            .unwrap();
        assert_eq!(note.total, Decimal::new(571, 2));
        assert_eq!(quantity(&store, id), "2");
        let report = store.check().unwrap();
        assert!(report.ok, "{report:?}");
        // A draft billing the seats refuses a removal: nothing changes.
        let id2 = licence(&mut store, "4", "2026-12-01", "P1M");
        store.run_billing("2026-12").unwrap();
        let err = seats(&mut store, id2, "3", "2026-12-03").unwrap_err();
        assert_eq!(err.code, ErrorCode::Conflict);
        assert_eq!(quantity(&store, id2), "4");
    }
}
