//! Quotes: drafts saved from the builder, the lifecycle (sent, accepted, declined,
//! superseded by a revision), duplicates, and accepting a quote into subscriptions and a
//! draft invoice in one transaction.

use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, OptionalExtension, Row, Transaction};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use vardesk_core::deposit::OneTimeInvoicing;
use vardesk_core::estimate::{estimate, Coefficients, Estimate, EstimateInputs};
use vardesk_core::lines::{Line, LineKind, QuoteTotals};
use vardesk_core::quote::{
    evaluate, kind_str, parse_kind, price_lines, treatment_of, EstimatorForm, LineForm, LineSource,
    PricedLine, QuoteContext, QuoteData, QuoteEvaluation, QuoteForm, QuoteLine, QuoteStatus,
};
use vardesk_core::search::fold;
use vardesk_core::{CoreError, Currency, ErrorCode};

use crate::invoices::{insert_invoice_line, LineOrigin};
use crate::numbers::take_next;
use crate::subscriptions::{insert_subscription, NewSubscription};
use crate::{from_scaled, internal, now, to_scaled, DbResult, Result, Store};

pub const QUOTE_NUMBER_TEMPLATE: &str = "Q-{YYYY}-{SEQ:4}";

/// A stored quote with everything the builder and the read-only view show.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct QuoteRecord {
    pub id: i64,
    pub number: String,
    pub version: u32,
    pub parent_id: Option<i64>,
    pub customer_id: i64,
    pub customer_name: String,
    pub status: QuoteStatus,
    /// What the user sees: `expired` for a sent quote past its validity.
    pub shown_status: &'static str,
    /// Drafts are edited; other states are read-only.
    pub editable: bool,
    pub form: QuoteForm,
    pub lines: Vec<PricedLine>,
    pub totals: Option<QuoteTotals>,
    /// How the customer is taxed on these lines (§9), shown beside the totals.
    pub tax_treatment: Option<vardesk_core::treatment::TaxTreatment>,
    pub estimate: Option<Estimate>,
    pub sent_at: Option<String>,
    pub decided_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// One row of the quotes list.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct QuoteRow {
    pub id: i64,
    pub number: String,
    pub version: u32,
    pub customer_id: i64,
    pub customer: String,
    pub title: String,
    pub status: &'static str,
    pub currency: Currency,
    pub quote_date: String,
    pub valid_until: String,
    pub win_probability_percent: rust_decimal::Decimal,
    pub one_time: rust_decimal::Decimal,
    pub monthly: rust_decimal::Decimal,
    pub annual: rust_decimal::Decimal,
    pub first_year: rust_decimal::Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, specta::Type)]
#[serde(default)]
pub struct QuoteQuery {
    pub search: String,
    /// A stored status, or `expired`; empty for all.
    pub status: String,
    pub customer_id: Option<i64>,
}

/// What accepting a quote created.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct AcceptOutcome {
    pub quote_id: i64,
    pub number: String,
    pub subscriptions: Vec<i64>,
    pub invoice_id: Option<i64>,
    /// A draft waiting for its date: the rest after a deposit, or the last phase.
    pub scheduled_invoice_id: Option<i64>,
}

struct Header {
    id: i64,
    number: String,
    version: u32,
    parent_id: Option<i64>,
    customer_id: i64,
    customer_name: String,
    currency: Currency,
    title: String,
    status: QuoteStatus,
    quote_date: NaiveDate,
    valid_until: NaiveDate,
    term_months: u32,
    win_probability_e2: i64,
    expected_start: NaiveDate,
    estimator_inputs: Option<String>,
    coefficients: String,
    notes: String,
    terms: String,
    inventory_flags: Vec<vardesk_core::quote::SavedFlag>,
    sent_at: Option<String>,
    decided_at: Option<String>,
    created_at: String,
    updated_at: String,
}

fn parse_date(text: &str) -> rusqlite::Result<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

fn header(row: &Row<'_>) -> rusqlite::Result<Header> {
    let currency: String = row.get("currency")?;
    let status: String = row.get("status")?;
    Ok(Header {
        id: row.get("id")?,
        number: row.get("number")?,
        version: row.get("version")?,
        parent_id: row.get("parent_id")?,
        customer_id: row.get("customer_id")?,
        customer_name: row.get("customer_name")?,
        currency: Currency::parse(&currency).unwrap_or(Currency::EUR),
        title: row.get("title")?,
        status: QuoteStatus::parse(&status).unwrap_or(QuoteStatus::Draft),
        quote_date: parse_date(&row.get::<_, String>("quote_date")?)?,
        valid_until: parse_date(&row.get::<_, String>("valid_until")?)?,
        term_months: row.get("term_months")?,
        win_probability_e2: row.get("win_probability_e2")?,
        expected_start: parse_date(&row.get::<_, String>("expected_start")?)?,
        estimator_inputs: row.get("estimator_inputs")?,
        coefficients: row.get("coefficients")?,
        notes: row.get("notes")?,
        terms: row.get("terms")?,
        inventory_flags: serde_json::from_str(&row.get::<_, String>("inventory_flags")?)
            .unwrap_or_default(),
        sent_at: row.get("sent_at")?,
        decided_at: row.get("decided_at")?,
        created_at: row.get("created_at")?,
        updated_at: row.get("updated_at")?,
    })
}

const HEADER_SQL: &str = "SELECT q.*, c.name AS customer_name FROM quotes q
    JOIN customers c ON c.id = q.customer_id";

fn line_from_row(row: &Row<'_>) -> rusqlite::Result<QuoteLine> {
    let kind: String = row.get("kind")?;
    let source: String = row.get("source")?;
    Ok(QuoteLine {
        line: Line {
            description: row.get("description")?,
            quantity: from_scaled(row.get("quantity_e4")?, 4),
            unit: row.get("unit")?,
            unit_price: from_scaled(row.get("unit_price_e4")?, 4),
            unit_cost: Some(from_scaled(row.get("unit_cost_e4")?, 4)),
            discount_percent: Some(from_scaled(row.get("discount_e2")?, 2)),
            tax_rate_percent: Some(from_scaled(row.get("tax_rate_e2")?, 2)),
            kind: parse_kind(&kind).unwrap_or(LineKind::OneTime),
            goods: row.get("goods")?,
            tax_category: None,
        },
        source: LineSource::parse(&source),
        catalog_item_id: row.get("catalog_item_id")?,
    })
}

fn quote_lines(conn: &rusqlite::Connection, quote_id: i64) -> Result<Vec<QuoteLine>> {
    let mut stmt = conn
        .prepare_cached("SELECT * FROM quote_lines WHERE quote_id = ?1 ORDER BY position")
        .db()?;
    let lines = stmt
        .query_map([quote_id], line_from_row)
        .db()?
        .collect::<rusqlite::Result<_>>()
        .db()?;
    Ok(lines)
}

fn not_found(id: i64) -> CoreError {
    CoreError::new(ErrorCode::NotFound, format!("Quote {id} does not exist."))
}

fn conflict(message: String) -> CoreError {
    CoreError::new(ErrorCode::Conflict, message)
}

fn write_lines(tx: &Transaction<'_>, quote_id: i64, lines: &[QuoteLine]) -> Result<()> {
    tx.execute("DELETE FROM quote_lines WHERE quote_id = ?1", [quote_id])
        .db()?;
    let mut stmt = tx
        .prepare_cached(
            "INSERT INTO quote_lines (quote_id, position, kind, source, description, quantity_e4,
                unit, unit_price_e4, unit_cost_e4, discount_e2, tax_rate_e2, catalog_item_id, goods)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        )
        .db()?;
    for (position, l) in lines.iter().enumerate() {
        let line = &l.line;
        let n = crate::scaled_line(line)?;
        stmt.execute(params![
            quote_id,
            position as i64,
            kind_str(line.kind),
            l.source.as_str(),
            line.description,
            n.quantity,
            line.unit,
            n.unit_price,
            n.unit_cost,
            n.discount,
            n.tax_rate,
            l.catalog_item_id,
            line.goods,
        ])
        .db()?;
    }
    Ok(())
}

fn json<T: Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| internal(e.to_string()))
}

impl Store {
    fn quote_context(&self, customer_id: Option<i64>) -> Result<QuoteContext> {
        let s = self.require_settings()?;
        let tax = customer_id
            .filter(|id| *id > 0)
            .map(|id| crate::taxes::customer_tax_context(self.conn(), id))
            .transpose()?;
        // A customer that does not exist is the form's error to report, not this one's.
        let language = customer_id
            .filter(|id| *id > 0)
            .and_then(|id| self.customer(id).ok())
            .map_or("en", |c| {
                vardesk_core::language::of_customer(&c.data.taxes.language, &c.data.country)
            });
        Ok(QuoteContext {
            default_tax_rate_percent: s.default_tax_rate_percent,
            churn_percent: s.churn_percent,
            tax,
            language: language.into(),
            hours_increment: s.hours_increment,
            catalog_currencies: self
                .list_catalog()?
                .into_iter()
                .map(|r| {
                    let priced = std::iter::once(r.item.currency)
                        .chain(r.item.other_prices.iter().map(|p| p.currency))
                        .collect();
                    (r.id, (r.item.name, priced))
                })
                .collect(),
        })
    }

    /// A new quote's form for a customer: its currency, the estimator filled from its
    /// environment, the default coefficients, terms and validity from Settings, starting next
    /// month.
    pub fn new_quote_form(&self, customer_id: i64, today: NaiveDate) -> Result<QuoteForm> {
        let settings = self.require_settings()?;
        let customer = self.customer(customer_id)?;
        let start = vardesk_core::billing::Period::of(today).plus_months(1);
        Ok(QuoteForm {
            customer_id: Some(customer_id),
            title: "Migration to Microsoft 365".into(),
            currency: customer.data.currency.code().into(),
            quote_date: today.to_string(),
            valid_until: (today + chrono::Days::new(u64::from(settings.quote_validity_days)))
                .to_string(),
            expected_start: start.to_string(),
            terms: settings.quote_terms.clone(),
            use_estimator: true,
            estimator: EstimatorForm::from_environment(&customer.data.environment),
            coefficients: settings.estimator_coefficients,
            ..QuoteForm::default()
        })
    }

    /// Prices a form as the builder holds it; nothing is written.
    pub fn evaluate_quote(&self, form: &QuoteForm) -> Result<QuoteEvaluation> {
        Ok(evaluate(form, self.quote_context(form.customer_id)?))
    }

    /// Saves a draft (`id` None creates it and gives it its number). Only drafts change.
    pub fn save_quote(
        &mut self,
        id: Option<i64>,
        form: &QuoteForm,
        today: NaiveDate,
    ) -> Result<QuoteRecord> {
        let evaluation = self.evaluate_quote(form)?;
        let Some(data) = evaluation.data else {
            return Err(CoreError::from(evaluation.errors));
        };
        self.customer(data.customer_id)?;
        let id = self.write(|tx| match id {
            None => insert_quote(tx, &data, None, today),
            Some(id) => {
                let status: Option<String> = tx
                    .query_row("SELECT status FROM quotes WHERE id = ?1", [id], |r| r.get(0))
                    .optional()
                    .db()?;
                match status.as_deref() {
                    None => Err(not_found(id)),
                    Some("draft") => update_quote(tx, id, &data).map(|_| id),
                    Some(other) => Err(conflict(format!(
                        "This quote is {other} and can no longer change; revise it into a new version instead."
                    ))),
                }
            }
        })?;
        self.quote(id, today)
    }

    pub fn quote(&self, id: i64, today: NaiveDate) -> Result<QuoteRecord> {
        let h = self
            .conn()
            .query_row(&format!("{HEADER_SQL} WHERE q.id = ?1"), [id], header)
            .optional()
            .db()?
            .ok_or_else(|| not_found(id))?;
        let lines = quote_lines(self.conn(), id)?;
        let ctx = self.quote_context(Some(h.customer_id))?;
        let coefficients: Coefficients = serde_json::from_str(&h.coefficients).unwrap_or_default();
        let inputs: Option<EstimateInputs> = h
            .estimator_inputs
            .as_deref()
            .and_then(|j| serde_json::from_str(j).ok());
        let estimate = inputs
            .as_ref()
            .and_then(|i| estimate(i, &coefficients, h.currency).ok());
        let (priced, totals) = price_lines(
            &lines,
            h.currency,
            h.term_months,
            ctx.churn_percent,
            ctx.tax.as_ref(),
        );
        let tax_treatment = treatment_of(&lines, ctx.tax.as_ref());
        let form = QuoteForm {
            customer_id: Some(h.customer_id),
            title: h.title.clone(),
            currency: h.currency.code().into(),
            quote_date: h.quote_date.to_string(),
            valid_until: h.valid_until.to_string(),
            term_months: h.term_months.to_string(),
            win_probability_percent: from_scaled(h.win_probability_e2, 2).to_string(),
            expected_start: vardesk_core::billing::Period::of(h.expected_start).to_string(),
            use_estimator: inputs.is_some(),
            estimator: inputs
                .as_ref()
                .map(EstimatorForm::from_inputs)
                .unwrap_or_default(),
            coefficients,
            lines: lines.iter().map(LineForm::from_line).collect(),
            notes: h.notes.clone(),
            terms: h.terms.clone(),
            inventory_flags: h.inventory_flags.clone(),
        };
        Ok(QuoteRecord {
            id: h.id,
            number: h.number,
            version: h.version,
            parent_id: h.parent_id,
            customer_id: h.customer_id,
            customer_name: h.customer_name,
            status: h.status,
            shown_status: h.status.shown(h.valid_until, today),
            editable: h.status == QuoteStatus::Draft,
            form,
            lines: priced,
            totals,
            tax_treatment,
            estimate,
            sent_at: h.sent_at,
            decided_at: h.decided_at,
            created_at: h.created_at,
            updated_at: h.updated_at,
        })
    }

    /// Quotes, newest first, with their totals per part.
    pub fn list_quotes(&self, q: &QuoteQuery, today: NaiveDate) -> Result<Vec<QuoteRow>> {
        let ctx = self.quote_context(None)?;
        let mut stmt = self
            .conn()
            .prepare(&format!(
                "{HEADER_SQL} ORDER BY q.quote_date DESC, q.number DESC, q.version DESC"
            ))
            .db()?;
        let headers = stmt
            .query_map([], header)
            .db()?
            .collect::<rusqlite::Result<Vec<_>>>()
            .db()?;
        let words: Vec<String> = fold(&q.search)
            .split_whitespace()
            .map(str::to_string)
            .collect();
        let mut rows = Vec::new();
        for h in headers {
            let shown = h.status.shown(h.valid_until, today);
            if !q.status.is_empty() && q.status != shown {
                continue;
            }
            if q.customer_id.is_some_and(|c| c != h.customer_id) {
                continue;
            }
            let haystack = fold(&format!("{} {} {}", h.number, h.customer_name, h.title));
            if !words.iter().all(|w| haystack.contains(w.as_str())) {
                continue;
            }
            let lines = quote_lines(self.conn(), h.id)?;
            let tax = crate::taxes::customer_tax_context(self.conn(), h.customer_id)?;
            let (_, totals) = price_lines(
                &lines,
                h.currency,
                h.term_months,
                ctx.churn_percent,
                Some(&tax),
            );
            let t = totals
                .ok_or_else(|| internal(format!("Quote {} cannot be totalled.", h.number)))?;
            rows.push(QuoteRow {
                id: h.id,
                number: h.number,
                version: h.version,
                customer_id: h.customer_id,
                customer: h.customer_name,
                title: h.title,
                status: shown,
                currency: h.currency,
                quote_date: h.quote_date.to_string(),
                valid_until: h.valid_until.to_string(),
                win_probability_percent: from_scaled(h.win_probability_e2, 2),
                one_time: t.one_time.net,
                monthly: t.monthly.net,
                annual: t.annual.net,
                first_year: t.first_year,
            });
        }
        Ok(rows)
    }

    /// Moves a quote from one status to another, checking where it stands first.
    fn transition(
        &mut self,
        id: i64,
        from: QuoteStatus,
        to: QuoteStatus,
        today: NaiveDate,
    ) -> Result<QuoteRecord> {
        let current = self.quote(id, today)?;
        if current.status != from {
            return Err(conflict(format!(
                "Quote {} v{} is {}; only a {} quote can be marked {}.",
                current.number,
                current.version,
                current.shown_status,
                from.as_str(),
                to.as_str()
            )));
        }
        let column = if to == QuoteStatus::Sent {
            "sent_at"
        } else {
            "decided_at"
        };
        self.write(|tx| {
            let changed = tx
                .execute(
                    &format!("UPDATE quotes SET status = ?2, {column} = ?3, updated_at = ?3 WHERE id = ?1 AND status = ?4"),
                    params![id, to.as_str(), now(), from.as_str()],
                )
                .db()?;
            if changed == 0 {
                return Err(conflict(format!("Quote {} was changed meanwhile; try again.", current.number)));
            }
            Ok(())
        })?;
        self.quote(id, today)
    }

    pub fn mark_quote_sent(&mut self, id: i64, today: NaiveDate) -> Result<QuoteRecord> {
        self.transition(id, QuoteStatus::Draft, QuoteStatus::Sent, today)
    }

    pub fn decline_quote(&mut self, id: i64, today: NaiveDate) -> Result<QuoteRecord> {
        self.transition(id, QuoteStatus::Sent, QuoteStatus::Declined, today)
    }

    /// Turns a sent (or expired) quote into a new draft version; the old one stays readable,
    /// marked superseded.
    pub fn revise_quote(&mut self, id: i64, today: NaiveDate) -> Result<QuoteRecord> {
        let old = self.quote(id, today)?;
        if old.status != QuoteStatus::Sent {
            return Err(conflict(format!(
                "Only a sent quote can be revised; {} v{} is {}.",
                old.number, old.version, old.shown_status
            )));
        }
        let data = self.copy_for_new_version(&old, today)?;
        let new_id = self.write(|tx| {
            let changed = tx
                .execute(
                    "UPDATE quotes SET status = 'superseded', updated_at = ?2 WHERE id = ?1 AND status = 'sent'",
                    params![id, now()],
                )
                .db()?;
            if changed == 0 {
                return Err(conflict(format!("Quote {} was changed meanwhile; try again.", old.number)));
            }
            insert_quote(tx, &data, Some((&old.number, old.version + 1, id)), today)
        })?;
        self.quote(new_id, today)
    }

    /// A new draft with a new number, copying the quote's lines and inputs.
    pub fn duplicate_quote(&mut self, id: i64, today: NaiveDate) -> Result<QuoteRecord> {
        let old = self.quote(id, today)?;
        let data = self.copy_for_new_version(&old, today)?;
        let new_id = self.write(|tx| insert_quote(tx, &data, None, today))?;
        self.quote(new_id, today)
    }

    fn copy_for_new_version(&self, old: &QuoteRecord, today: NaiveDate) -> Result<QuoteData> {
        let mut form = old.form.clone();
        let validity = (old.form.valid_until.parse::<NaiveDate>().ok())
            .zip(old.form.quote_date.parse::<NaiveDate>().ok())
            .map_or(30, |(until, from)| (until - from).num_days().max(1) as u64);
        form.quote_date = today.to_string();
        form.valid_until = (today + chrono::Days::new(validity)).to_string();
        // Services cannot start in the past: at the earliest next month.
        let next_month = vardesk_core::billing::Period::of(today).plus_months(1);
        if vardesk_core::billing::Period::parse(&form.expected_start)
            .map_or(true, |p| p < next_month)
        {
            form.expected_start = next_month.to_string();
        }
        // The copy keeps the stored lines as they are (no re-estimate with newer code).
        form.use_estimator = false;
        for line in &mut form.lines {
            if line.source == "estimate" {
                line.source = "manual".into();
            }
        }
        let evaluation = self.evaluate_quote(&form)?;
        let mut data = evaluation
            .data
            .ok_or_else(|| CoreError::from(evaluation.errors))?;
        // Keep the estimate lines marked as such, and the inputs they came from.
        data.lines = old.lines.iter().map(|l| l.line.clone()).collect();
        data.estimator = if old.form.use_estimator {
            old.form.estimator.validate(&mut Vec::new())
        } else {
            None
        };
        Ok(data)
    }

    /// Accepts a sent quote: in one transaction it is marked accepted, one subscription is
    /// created per recurring line (starting on the expected start), and a draft invoice
    /// for the one-time part. Accepting twice is refused.
    pub fn accept_quote(&mut self, id: i64, today: NaiveDate) -> Result<AcceptOutcome> {
        self.accept_quote_with(id, today, &OneTimeInvoicing::AllNow)
    }

    /// Accepts a sent quote: its subscriptions, and its one-time part as drafts — all now,
    /// or a deposit now and the rest scheduled for completion — in one transaction.
    pub fn accept_quote_with(
        &mut self,
        id: i64,
        today: NaiveDate,
        invoicing: &OneTimeInvoicing,
    ) -> Result<AcceptOutcome> {
        invoicing.validate(today)?;
        let q = self.quote(id, today)?;
        match (q.status, q.shown_status) {
            (QuoteStatus::Accepted, _) => {
                return Err(conflict(format!(
                    "Quote {} v{} was already accepted{}.",
                    q.number,
                    q.version,
                    q.decided_at
                        .as_deref()
                        .map(|d| format!(" on {}", &d[..10]))
                        .unwrap_or_default()
                )))
            }
            (_, "expired") => {
                return Err(conflict(format!(
                    "Quote {} v{} expired on {}; revise it to renew its validity before accepting.",
                    q.number, q.version, q.form.valid_until
                )))
            }
            (QuoteStatus::Sent, _) => {}
            (_, shown) => {
                return Err(conflict(format!(
                    "Quote {} v{} is {shown}; mark it as sent before accepting it.",
                    q.number, q.version
                )))
            }
        }
        let start = q.form.expected_start.clone() + "-01";
        let currency = q.form.currency.clone();
        // Deposit lines are written in the customer's language, like the billing run's.
        let customer = self.customer(q.customer_id)?.data;
        let t = vardesk_core::i18n::texts(vardesk_core::language::of_customer(
            &customer.taxes.language,
            &customer.country,
        ));
        let locale = t
            .locale(&self.settings()?.map(|s| s.locale).unwrap_or_default())
            .to_string();
        let money = Currency::parse(&currency)?;
        self.write(|tx| {
            let changed = tx
                .execute(
                    "UPDATE quotes SET status = 'accepted', decided_at = ?2, updated_at = ?2
                     WHERE id = ?1 AND status = 'sent'",
                    params![id, now()],
                )
                .db()?;
            if changed == 0 {
                return Err(conflict(format!(
                    "Quote {} was changed meanwhile; try again.",
                    q.number
                )));
            }
            let mut subscriptions = Vec::new();
            for l in q.lines.iter().map(|p| &p.line) {
                let interval = match l.line.kind {
                    LineKind::Monthly => "monthly",
                    LineKind::Annual => "annual",
                    LineKind::OneTime => continue,
                };
                let sub = insert_subscription(
                    tx,
                    NewSubscription {
                        customer_id: q.customer_id,
                        quote_id: Some(id),
                        catalog_item_id: l.catalog_item_id,
                        line: &l.line,
                        currency: &currency,
                        interval,
                        start_date: start.to_string(),
                        end_date: None,
                        bill_from: None,
                    },
                )?;
                licence_from_catalog(tx, sub, l.catalog_item_id, interval, &start)?;
                subscriptions.push(sub);
            }
            let one_time: Vec<&QuoteLine> = q
                .lines
                .iter()
                .map(|p| &p.line)
                .filter(|l| l.line.kind == LineKind::OneTime)
                .collect();
            let notes = format!("{} v{}: {}", q.number, q.version, q.form.title);
            let (invoice_id, scheduled_invoice_id) = match (one_time.is_empty(), invoicing) {
                (true, _) => (None, None),
                (false, OneTimeInvoicing::AllNow) => {
                    let invoice_id = insert_draft(tx, q.customer_id, id, &currency, &notes, None)?;
                    for (position, l) in one_time.iter().enumerate() {
                        insert_invoice_line(
                            tx,
                            invoice_id,
                            position,
                            &l.line,
                            LineOrigin::default(),
                        )?;
                    }
                    (Some(invoice_id), None)
                }
                (false, OneTimeInvoicing::Deposit { percent, rest_on }) => {
                    // §6.1: the deposit is one line per (rate, kind); the final invoice lists
                    // the quote's one-time lines and deducts the deposit per (rate, kind).
                    let lines: Vec<Line> = one_time.iter().map(|l| l.line.clone()).collect();
                    let (deposit, _) = vardesk_core::deposit::split(&lines, money, *percent);
                    let shown =
                        |p: Decimal| vardesk_core::format::format_decimal(p.normalize(), &locale);
                    let now_text = t.fill(
                        "deposit.line",
                        &[
                            ("percent", &shown(*percent)),
                            ("number", &q.number),
                            ("title", &q.form.title),
                        ],
                    );
                    let pending = t.fill("deposit.deduction_pending", &[("quote", &q.number)]);
                    let deposit_id = insert_draft(tx, q.customer_id, id, &currency, &notes, None)?;
                    let final_id =
                        insert_draft(tx, q.customer_id, id, &currency, &notes, Some(*rest_on))?;
                    for (position, l) in one_time.iter().enumerate() {
                        insert_invoice_line(
                            tx,
                            final_id,
                            position,
                            &l.line,
                            LineOrigin::default(),
                        )?;
                    }
                    for (i, p) in deposit.iter().enumerate() {
                        let line = Line {
                            description: now_text.clone(),
                            quantity: Decimal::ONE,
                            unit: String::new(),
                            unit_price: p.net,
                            unit_cost: Some(p.cost),
                            discount_percent: None,
                            tax_rate_percent: Some(p.tax_rate_percent),
                            kind: LineKind::OneTime,
                            goods: p.goods,
                            tax_category: None,
                        };
                        insert_invoice_line(tx, deposit_id, i, &line, LineOrigin::default())?;
                        let deduction = Line {
                            description: pending.clone(),
                            ..line
                        };
                        insert_invoice_line(
                            tx,
                            final_id,
                            one_time.len() + i,
                            &deduction,
                            LineOrigin::default(),
                        )?;
                        tx.execute(
                            "UPDATE invoice_lines SET deducts_invoice_id = ?1
                             WHERE invoice_id = ?2 AND position = ?3",
                            params![deposit_id, final_id, (one_time.len() + i) as i64],
                        )
                        .db()?;
                    }
                    (Some(deposit_id), Some(final_id))
                }
                (false, OneTimeInvoicing::PerPhase { dates }) => {
                    // One draft per date; the ones after today wait for theirs.
                    let phases = vardesk_core::deposit::phases_by_date(dates, one_time.len())?;
                    let mut first = None;
                    let mut last_scheduled = None;
                    for (date, indexes) in phases {
                        let scheduled = (date > today).then_some(date);
                        let invoice =
                            insert_draft(tx, q.customer_id, id, &currency, &notes, scheduled)?;
                        for (position, i) in indexes.iter().enumerate() {
                            insert_invoice_line(
                                tx,
                                invoice,
                                position,
                                &one_time[*i].line,
                                LineOrigin::default(),
                            )?;
                        }
                        first.get_or_insert(invoice);
                        if scheduled.is_some() {
                            last_scheduled = Some(invoice);
                        }
                    }
                    (first, last_scheduled)
                }
            };
            Ok(AcceptOutcome {
                quote_id: id,
                number: q.number.clone(),
                subscriptions,
                invoice_id,
                scheduled_invoice_id,
            })
        })
    }
}

/// A draft invoice for an accepted quote, waiting for `scheduled_on` when given.
fn insert_draft(
    tx: &Transaction<'_>,
    customer_id: i64,
    quote_id: i64,
    currency: &str,
    notes: &str,
    scheduled_on: Option<NaiveDate>,
) -> Result<i64> {
    tx.execute(
        "INSERT INTO invoices (customer_id, quote_id, status, currency, notes, scheduled_on, created_at, updated_at)
         VALUES (?1, ?2, 'draft', ?3, ?4, ?5, ?6, ?6)",
        params![customer_id, quote_id, currency, notes, scheduled_on.map(|d| d.to_string()), now()],
    )
    .db()?;
    Ok(tx.last_insert_rowid())
}

/// Inserts a quote: a new number, or (`version` = (number, version, parent)) a new version.
fn insert_quote(
    tx: &Transaction<'_>,
    data: &QuoteData,
    version: Option<(&str, u32, i64)>,
    today: NaiveDate,
) -> Result<i64> {
    let (number, version, parent) = match version {
        Some((number, version, parent)) => (number.to_string(), version, Some(parent)),
        None => (
            take_next(tx, "quote", QUOTE_NUMBER_TEMPLATE, today)?.number,
            1,
            None,
        ),
    };
    let mut values = header_values(data)?;
    values.extend([
        number.into(),
        i64::from(version).into(),
        parent.into(),
        now().into(),
    ]);
    tx.execute(
        "INSERT INTO quotes (customer_id, currency, title, quote_date, valid_until, term_months,
            win_probability_e2, expected_start, estimator_inputs, coefficients, notes, terms,
            inventory_flags, number, version, parent_id, status, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, 'draft',
            ?17, ?17)",
        params_from_iter(values),
    )
    .db()?;
    let id = tx.last_insert_rowid();
    write_lines(tx, id, &data.lines)?;
    Ok(id)
}

/// The quote's own columns, in the order both INSERT and UPDATE name them (?1 … ?12).
fn header_values(data: &QuoteData) -> Result<Vec<Value>> {
    Ok(vec![
        data.customer_id.into(),
        data.currency.code().to_string().into(),
        data.title.clone().into(),
        data.quote_date.to_string().into(),
        data.valid_until.to_string().into(),
        i64::from(data.term_months).into(),
        to_scaled(data.win_probability_percent, 2)?.into(),
        data.expected_start.to_string().into(),
        data.estimator.as_ref().map(json).transpose()?.into(),
        json(&data.coefficients)?.into(),
        data.notes.clone().into(),
        data.terms.clone().into(),
        json(&data.inventory_flags)?.into(),
    ])
}

fn update_quote(tx: &Transaction<'_>, id: i64, data: &QuoteData) -> Result<()> {
    let mut values = header_values(data)?;
    values.extend([id.into(), now().into()]);
    tx.execute(
        "UPDATE quotes SET customer_id = ?1, currency = ?2, title = ?3, quote_date = ?4,
            valid_until = ?5, term_months = ?6, win_probability_e2 = ?7, expected_start = ?8,
            estimator_inputs = ?9, coefficients = ?10, notes = ?11, terms = ?12,
            inventory_flags = ?13, updated_at = ?15
         WHERE id = ?14 AND status = 'draft'",
        params_from_iter(values),
    )
    .db()?;
    write_lines(tx, id, &data.lines)
}

/// A quote line from a catalog item that is a Microsoft licence becomes a licence
/// subscription (§10): the item's term (a month when it names none), its billing frequency
/// (else the interval) and Partner Center ids, the first term from the start.
fn licence_from_catalog(
    tx: &rusqlite::Transaction<'_>,
    sub: i64,
    item: Option<i64>,
    interval: &str,
    start: &str,
) -> Result<()> {
    let Some(item) = item else { return Ok(()) };
    let found: Option<(Option<String>, Option<String>, String, String)> = tx
        .query_row(
            "SELECT term, ms_billing, ms_product_id, ms_sku_id FROM catalog_items
             WHERE id = ?1 AND ms_licence = 1",
            [item],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()
        .db()?;
    let Some((term, billing, product, sku)) = found else {
        return Ok(());
    };
    use vardesk_core::nce::{term_end, Billing, Term};
    let term = term.and_then(|t| Term::parse(&t).ok()).unwrap_or(Term::P1M);
    let billing = billing
        .or_else(|| Some(interval.to_string()))
        .and_then(|b| Billing::parse(&b).ok())
        .and_then(|b| b.for_term(term).ok())
        .unwrap_or(Billing::Monthly);
    let Ok(first) = start.parse::<NaiveDate>() else {
        return Ok(());
    };
    tx.execute(
        "UPDATE subscriptions SET term = ?2, ms_billing = ?3, term_start = ?4, term_end = ?5,
            ms_product_id = ?6, ms_sku_id = ?7 WHERE id = ?1",
        params![
            sub,
            term.as_str(),
            billing.as_str(),
            start,
            term_end(first, term).to_string(),
            product,
            sku
        ],
    )
    .db()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customers::CustomerQuery;
    use crate::test_support::temp_store;
    use vardesk_core::settings::SettingsForm;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// A store with the sample data and a draft for Müller & Söhne with one monthly line.
    fn with_draft() -> (tempfile::TempDir, Store, QuoteRecord) {
        let (dir, mut store) = temp_store();
        let profile = SettingsForm {
            company_name: "Contoso".into(),
            ..SettingsForm::first_run()
        };
        store.save_settings(&profile).unwrap();
        store.load_sample_records().unwrap();
        let q = CustomerQuery {
            search: "müller".into(),
            ..Default::default()
        };
        let customer = store.list_customers(&q).unwrap().customers[0].id;
        let mut form = store.new_quote_form(customer, day("2026-11-23")).unwrap();
        form.lines.push(LineForm {
            kind: "monthly".into(),
            source: "catalog".into(),
            description: "Microsoft 365 Business Premium".into(),
            quantity: "45".into(),
            unit: "seat/month".into(),
            unit_price: "20.60".into(),
            unit_cost: "17.51".into(),
            discount_percent: "10".into(),
            tax_rate_percent: "19".into(),
            catalog_item_id: None,
            goods: false,
        });
        let record = store.save_quote(None, &form, day("2026-11-23")).unwrap();
        (dir, store, record)
    }

    fn count(store: &Store, sql: &str) -> i64 {
        store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
    }

    #[test]
    fn the_estimate_fills_from_the_customer_and_survives_the_store() {
        let (_dir, store, q) = with_draft();
        assert_eq!(q.number, "Q-2026-0001");
        assert_eq!(
            (q.version, q.status, q.editable),
            (1, QuoteStatus::Draft, true)
        );
        // Müller & Söhne: hybrid, 45 + 6 mailboxes → 11 phases with hours + licences + 1 line.
        assert_eq!(q.lines.len(), 12);
        assert_eq!(q.lines[0].line.source, LineSource::Estimate);
        assert_eq!(q.form.estimator.mailboxes, "45");
        let again = store.quote(q.id, day("2026-11-23")).unwrap();
        assert_eq!(again.totals, q.totals);
        assert_eq!(
            again.totals.as_ref().unwrap().monthly.net.to_string(),
            "834.30"
        );
    }

    #[test]
    fn lifecycle_send_revise_accept() {
        let (_dir, mut store, q) = with_draft();
        let today = day("2026-11-23");
        let sent = store.mark_quote_sent(q.id, today).unwrap();
        assert_eq!(sent.status, QuoteStatus::Sent);
        let err = store.save_quote(Some(q.id), &sent.form, today).unwrap_err();
        assert_eq!(err.code, ErrorCode::Conflict);

        let v2 = store.revise_quote(q.id, today).unwrap();
        assert_eq!(
            (v2.number.as_str(), v2.version, v2.parent_id),
            ("Q-2026-0001", 2, Some(q.id))
        );
        assert_eq!(
            store.quote(q.id, today).unwrap().status,
            QuoteStatus::Superseded
        );
        assert_eq!(v2.totals, sent.totals);
        assert_eq!(v2.lines[0].line.source, LineSource::Estimate);

        store.mark_quote_sent(v2.id, today).unwrap();
        let outcome = store.accept_quote(v2.id, today).unwrap();
        assert_eq!(outcome.subscriptions.len(), 1);
        let invoice = outcome.invoice_id.unwrap();
        assert_eq!(count(&store, "SELECT count(*) FROM invoice_lines"), 11);
        assert_eq!(
            count(
                &store,
                &format!("SELECT count(*) FROM invoices WHERE id = {invoice} AND status = 'draft'")
            ),
            1
        );
        let start: String = store
            .conn()
            .query_row("SELECT start_date FROM subscriptions", [], |r| r.get(0))
            .unwrap();
        assert_eq!(start, "2026-12-01");

        let again = store.accept_quote(v2.id, today).unwrap_err();
        assert!(
            again.message.contains("already accepted"),
            "{}",
            again.message
        );
        assert_eq!(count(&store, "SELECT count(*) FROM subscriptions"), 1);
        assert!(store.check().unwrap().ok);
    }

    /// "45 × 20.60 less 10 %" on the quote stays that on the subscription and on the
    /// month's invoice line, which nets to the same amount.
    #[test]
    fn a_quoted_discount_is_carried_to_the_subscription_and_the_invoice_line() {
        let (_dir, mut store, q) = with_draft();
        let today = day("2026-11-23");
        store.mark_quote_sent(q.id, today).unwrap();
        store.accept_quote(q.id, today).unwrap();
        let sub = &store.list_subscriptions(today).unwrap()[0];
        assert_eq!(
            (sub.quantity.to_string(), sub.unit_price.to_string()),
            ("45".into(), "20.6".into())
        );
        assert_eq!(sub.discount_percent.to_string(), "10");
        assert_eq!(sub.amount.to_string(), "834.30");
        let run = store.run_billing("2026-12").unwrap();
        let line: (i64, i64, i64) = store
            .conn()
            .query_row(
                "SELECT quantity_e4, unit_price_e4, discount_e2 FROM invoice_lines
                 WHERE invoice_id = ?1 AND subscription_id IS NOT NULL",
                [run.created[0]],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!(line, (450_000, 206_000, 1_000));
        assert_eq!(run.invoices[0].net.to_string(), "834.30");
        store
            .save_settings(&crate::sample::sample_company())
            .unwrap();
        let row = store.issue_invoice(run.created[0], today).unwrap();
        assert_eq!(row.total.to_string(), "992.82", "834.30 plus 19 % VAT");
        assert!(store.check().unwrap().ok);
    }

    /// A 30 % deposit now and the rest on completion: two drafts that add up to the quote's
    /// one-time net to the cent, taxed at the quote's rates, the rest waiting for its date.
    #[test]
    fn a_deposit_now_and_the_rest_on_completion_add_up_to_the_project() {
        let (_dir, mut store, q) = with_draft();
        let today = day("2026-11-23");
        store.mark_quote_sent(q.id, today).unwrap();
        let one_time = q.totals.as_ref().unwrap().one_time.net;
        let bad = OneTimeInvoicing::Deposit {
            percent: "100".parse().unwrap(),
            rest_on: day("2027-02-01"),
        };
        assert_eq!(
            store
                .accept_quote_with(q.id, today, &bad)
                .unwrap_err()
                .field
                .as_deref(),
            Some("percent")
        );
        assert_eq!(
            store.quote(q.id, today).unwrap().status,
            QuoteStatus::Sent,
            "nothing written"
        );
        let plan = OneTimeInvoicing::Deposit {
            percent: "30".parse().unwrap(),
            rest_on: day("2027-02-01"),
        };
        let outcome = store.accept_quote_with(q.id, today, &plan).unwrap();
        let (deposit, rest) = (
            outcome.invoice_id.unwrap(),
            outcome.scheduled_invoice_id.unwrap(),
        );
        let net = |id| store.invoice(id, today).unwrap().totals.subtotal;
        assert_eq!(net(deposit) + net(rest), one_time);
        assert_eq!(
            net(deposit),
            Currency::EUR.round(one_time * Decimal::new(3, 1))
        );
        let rows = store.list_invoices(Some("draft"), None, today).unwrap();
        let scheduled = |id| {
            rows.iter()
                .find(|r| r.id == id)
                .unwrap()
                .scheduled_on
                .clone()
        };
        assert_eq!(
            (scheduled(deposit), scheduled(rest).as_deref()),
            (None, Some("2027-02-01"))
        );
        let lines = store.invoice(deposit, today).unwrap().lines;
        assert!(
            lines[0]
                .description
                .starts_with("Anzahlung 30 % auf Angebot Q-2026-0001"),
            "{}",
            lines[0].description
        );
        assert_eq!(lines[0].tax_rate_percent, Some(Decimal::from(19)));
        assert_eq!(
            outcome.subscriptions.len(),
            1,
            "the recurring line still becomes a subscription"
        );
        // §6.1: the final invoice lists the quote's one-time lines, then deducts the deposit.
        let final_lines = store.invoice(rest, today).unwrap().lines;
        let quoted = q
            .lines
            .iter()
            .filter(|l| l.line.line.kind == LineKind::OneTime)
            .count();
        assert_eq!(final_lines.len(), quoted + 1, "one rate, one deduction");
        let deduction = final_lines.last().unwrap();
        assert_eq!(deduction.quantity, Decimal::NEGATIVE_ONE);
        assert!(deduction.description.contains("noch nicht gestellt"));
        store
            .save_settings(&crate::sample::sample_company())
            .unwrap();
        let early = store.issue_invoice(rest, today).unwrap_err();
        assert!(early.message.contains("issue the deposit invoice first"));
        let err = store
            .save_draft(
                rest,
                &vardesk_core::invoicing::DraftForm {
                    customer_id: Some(q.customer_id),
                    notes: String::new(),
                    lines: vec![],
                },
            )
            .unwrap_err();
        assert_eq!(err.code, ErrorCode::Conflict);
        let deposit_row = store.issue_invoice(deposit, today).unwrap();
        let deduction = store.invoice(rest, today).unwrap().lines.pop().unwrap();
        assert_eq!(
            deduction.description,
            format!(
                "Abzüglich Anzahlungsrechnung {}",
                deposit_row.number.unwrap()
            )
        );
        let final_row = store.issue_invoice(rest, today).unwrap();
        let net = |id| store.invoice(id, today).unwrap().totals.subtotal;
        assert_eq!(
            net(deposit) + net(rest),
            one_time,
            "deposit and final add up"
        );
        // The deposit is settled on the final invoice: it is not credited on its own.
        let err = store.credit_invoice(deposit, None, today).unwrap_err();
        assert!(err.message.contains("deducts"), "{}", err.message);
        // Credited in full, the final invoice is void and its note equals its total.
        let note = store.credit_invoice(rest, None, today).unwrap();
        assert_eq!(note.total.abs(), final_row.total);
        assert_eq!(
            store.invoice(rest, today).unwrap().row.status,
            vardesk_core::standing::InvoiceStatus::Void
        );
        // The whole project called off: with the final invoice void, the deposit goes too.
        store.credit_invoice(deposit, None, today).unwrap();
        assert_eq!(
            store.invoice(deposit, today).unwrap().row.status,
            vardesk_core::standing::InvoiceStatus::Void
        );
        assert!(store.check().unwrap().ok);
    }

    /// Deleting the deposit's draft takes its deduction off the final draft: the final
    /// invoice then bills the whole one-time part.
    #[test]
    fn deleting_the_deposit_draft_removes_its_deduction() {
        let (_dir, mut store, q) = with_draft();
        let today = day("2026-11-23");
        store.mark_quote_sent(q.id, today).unwrap();
        let one_time = q.totals.as_ref().unwrap().one_time.net;
        let plan = OneTimeInvoicing::Deposit {
            percent: "25".parse().unwrap(),
            rest_on: day("2027-02-01"),
        };
        let outcome = store.accept_quote_with(q.id, today, &plan).unwrap();
        let rest = outcome.scheduled_invoice_id.unwrap();
        store.delete_draft(outcome.invoice_id.unwrap()).unwrap();
        let after = store.invoice(rest, today).unwrap();
        assert!(after.lines.iter().all(|l| l.quantity > Decimal::ZERO));
        assert_eq!(after.totals.subtotal, one_time);
    }

    /// A new quote starts with the validity and terms of Settings; the settings refuse a
    /// validity outside 1–365 days.
    #[test]
    fn new_quotes_start_with_the_settings_terms_and_validity() {
        let (_dir, mut store, q) = with_draft();
        let today = day("2026-11-23");
        let mut form = SettingsForm::from_settings(&store.settings().unwrap().unwrap());
        assert_eq!(form.quote_validity_days, "30");
        assert!(form.quote_terms.starts_with("Prices exclude VAT."));
        form.quote_validity_days = "45".into();
        form.quote_terms = "Net 14 days. Hardware stays ours until paid.".into();
        store.save_settings(&form).unwrap();
        let new = store.new_quote_form(q.customer_id, today).unwrap();
        assert_eq!(new.valid_until, "2027-01-07");
        assert_eq!(new.terms, "Net 14 days. Hardware stays ours until paid.");
        form.quote_validity_days = "0".into();
        let err = store.save_settings(&form).unwrap_err();
        assert_eq!(err.fields[0].field, "quote_validity_days");
    }

    /// The inventory's flags are kept with the quote, and with its next version.
    #[test]
    fn inventory_flags_are_kept_with_the_quote() {
        let (_dir, mut store, q) = with_draft();
        let today = day("2026-11-23");
        let mut form = q.form.clone();
        form.inventory_flags = vec![vardesk_core::quote::SavedFlag {
            code: "mailbox_over_100gb".into(),
            severity: "error".into(),
            message: "Line 3: a 120 GB mailbox".into(),
            line: Some(3),
        }];
        let saved = store.save_quote(Some(q.id), &form, today).unwrap();
        assert_eq!(
            store.quote(saved.id, today).unwrap().form.inventory_flags,
            form.inventory_flags
        );
        store.mark_quote_sent(q.id, today).unwrap();
        let v2 = store.revise_quote(q.id, today).unwrap();
        assert_eq!(v2.form.inventory_flags, form.inventory_flags);
    }

    /// One invoice per phase: phases on one date share a draft, later dates wait; together
    /// they hold every one-time line once.
    #[test]
    fn per_phase_invoices_hold_every_one_time_line_once() {
        let (_dir, mut store, q) = with_draft();
        let today = day("2026-11-23");
        store.mark_quote_sent(q.id, today).unwrap();
        let one_time: Vec<_> = q
            .lines
            .iter()
            .filter(|l| l.line.line.kind == LineKind::OneTime)
            .collect();
        let dates: Vec<NaiveDate> = (0..one_time.len())
            .map(|i| {
                if i < 3 {
                    today
                } else if i < 7 {
                    day("2027-01-15")
                } else {
                    day("2027-02-15")
                }
            })
            .collect();
        let too_few = OneTimeInvoicing::PerPhase {
            dates: dates[..2].to_vec(),
        };
        assert_eq!(
            store
                .accept_quote_with(q.id, today, &too_few)
                .unwrap_err()
                .field
                .as_deref(),
            Some("dates")
        );
        let plan = OneTimeInvoicing::PerPhase { dates };
        let outcome = store.accept_quote_with(q.id, today, &plan).unwrap();
        let drafts = store.list_invoices(Some("draft"), None, today).unwrap();
        let mine: Vec<_> = drafts
            .iter()
            .filter(|r| r.customer_id == q.customer_id)
            .collect();
        assert_eq!(mine.len(), 3, "today, 15 January, 15 February");
        let mut scheduled: Vec<_> = mine.iter().filter_map(|r| r.scheduled_on.clone()).collect();
        scheduled.sort();
        assert_eq!(
            scheduled,
            vec!["2027-01-15".to_string(), "2027-02-15".to_string()]
        );
        let lines: usize = mine
            .iter()
            .map(|r| store.invoice(r.id, today).unwrap().lines.len())
            .sum();
        assert_eq!(lines, one_time.len());
        let net: Decimal = mine
            .iter()
            .map(|r| store.invoice(r.id, today).unwrap().totals.subtotal)
            .sum();
        assert_eq!(net, q.totals.as_ref().unwrap().one_time.net);
        assert!(outcome.invoice_id.is_some() && outcome.scheduled_invoice_id.is_some());
        assert!(store.check().unwrap().ok);
    }

    #[test]
    fn accept_is_all_or_nothing() {
        let (_dir, mut store, q) = with_draft();
        let today = day("2026-11-23");
        store.mark_quote_sent(q.id, today).unwrap();
        // Make the last step (the draft invoice) fail.
        store
            .conn()
            .execute_batch(
                "CREATE TEMP TRIGGER fail_invoice BEFORE INSERT ON invoices
                 BEGIN SELECT RAISE(ABORT, 'disk on fire'); END;",
            )
            .unwrap();
        assert!(store.accept_quote(q.id, today).is_err());
        assert_eq!(store.quote(q.id, today).unwrap().status, QuoteStatus::Sent);
        assert_eq!(count(&store, "SELECT count(*) FROM subscriptions"), 0);
        store
            .conn()
            .execute_batch("DROP TRIGGER fail_invoice")
            .unwrap();
        assert!(store.accept_quote(q.id, today).is_ok());
    }

    #[test]
    fn expired_and_draft_quotes_are_not_accepted() {
        let (_dir, mut store, q) = with_draft();
        let err = store.accept_quote(q.id, day("2026-11-23")).unwrap_err();
        assert!(err.message.contains("mark it as sent"), "{}", err.message);
        store.mark_quote_sent(q.id, day("2026-11-23")).unwrap();
        let later = day("2027-01-31");
        assert_eq!(store.quote(q.id, later).unwrap().shown_status, "expired");
        let err = store.accept_quote(q.id, later).unwrap_err();
        assert!(
            err.message.contains("expired on 2026-12-23"),
            "{}",
            err.message
        );
        let rows = store
            .list_quotes(
                &QuoteQuery {
                    status: "expired".into(),
                    ..Default::default()
                },
                later,
            )
            .unwrap();
        assert_eq!(rows.len(), 1);
    }

    #[test]
    fn numbers_are_gapless_and_a_failed_save_takes_none() {
        let (_dir, mut store, q) = with_draft();
        let today = day("2026-11-23");
        let mut bad = q.form.clone();
        bad.title = String::new();
        assert!(store.save_quote(None, &bad, today).is_err());
        let copy = store.duplicate_quote(q.id, today).unwrap();
        assert_eq!(copy.number, "Q-2026-0002");
        assert_eq!(copy.totals, q.totals);
        let rows = store
            .list_quotes(
                &QuoteQuery {
                    search: "0002".into(),
                    ..Default::default()
                },
                today,
            )
            .unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].monthly.to_string(), "834.30");
    }
}
