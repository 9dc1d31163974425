//! The recurring-revenue projection from the database (DOMAIN.md §7): what the book holds
//! per month in one currency, saved scenarios, and the report.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension, Row};
use rust_decimal::Decimal;
use serde::Serialize;
use vardesk_core::annuity::{report, Assumptions, AssumptionsForm, Book, Report};
use vardesk_core::billing::Period;
use vardesk_core::lines::Line;
use vardesk_core::nce;
use vardesk_core::projection::TermedStart;
use vardesk_core::search::fold;
use vardesk_core::{CoreError, ErrorCode};

use crate::{from_scaled, now, to_scaled, DbResult, Result, Store};

/// A saved set of assumptions.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct Scenario {
    pub id: i64,
    pub name: String,
    pub is_default: bool,
    /// The assumptions; `start` is empty (a scenario is projected from any month).
    pub assumptions: AssumptionsForm,
}

const SCENARIO_COLUMNS: &str = "id, name, is_default, months, currency, churn_e2, expansion_e2,
    uplift_e2, projects_per_month_e4, seats_per_project_e4, price_per_seat_e4, cost_per_seat_e4,
    fee_per_project_e4, include_accepted, include_pipeline";

fn scenario(r: &Row<'_>) -> rusqlite::Result<Scenario> {
    let text = |i: usize, scale: u32| -> rusqlite::Result<String> {
        Ok(from_scaled(r.get(i)?, scale).to_string())
    };
    Ok(Scenario {
        id: r.get(0)?,
        name: r.get(1)?,
        is_default: r.get(2)?,
        assumptions: AssumptionsForm {
            start: String::new(),
            months: r.get::<_, i64>(3)?.to_string(),
            currency: r.get(4)?,
            churn_percent: text(5, 2)?,
            expansion_percent: text(6, 2)?,
            uplift_percent: text(7, 2)?,
            projects_per_month: text(8, 4)?,
            seats_per_project: text(9, 4)?,
            price_per_seat: text(10, 4)?,
            cost_per_seat: text(11, 4)?,
            fee_per_project: text(12, 4)?,
            include_accepted: r.get(13)?,
            include_pipeline: r.get(14)?,
        },
    })
}

/// A licence's term, its stored term (start, end) and auto-renew, if it has one.
type TermColumns = Option<(nce::Term, NaiveDate, NaiveDate, bool)>;

fn termed_columns(r: &Row<'_>) -> rusqlite::Result<TermColumns> {
    let term: Option<String> = r.get(6)?;
    let (start, end): (Option<String>, Option<String>) = (r.get(7)?, r.get(8)?);
    Ok(match (term.as_deref().map(nce::Term::parse), start, end) {
        (Some(Ok(term)), Some(s), Some(e)) => match (s.parse(), e.parse()) {
            (Ok(s), Ok(e)) => Some((term, s, e, r.get::<_, i64>(9)? == 1)),
            _ => None,
        },
        _ => None,
    })
}

/// A monthly figure: annual amounts count a twelfth per month.
fn per_month(amount: Decimal, interval: &str) -> Decimal {
    vardesk_core::billing::Interval::from_stored(interval).per_month(amount)
}

impl Store {
    /// What the book supplies per month for the assumptions (see `Book`). At month 0: every
    /// subscription active on the first day of the start month. Later subscriptions (and
    /// those starting within the start month after its first day) are accepted work.
    pub fn projection_book(&self, a: &Assumptions, today: NaiveDate) -> Result<Book> {
        let mut book = Book::with_months(a.months);
        let first_day = a.start.first_day();
        let month_of = |date: &str| -> Result<Option<usize>> {
            let period = Period::parse(date.get(..7).unwrap_or(date))?;
            let m = period.months_since(a.start).max(0);
            Ok((m < i64::from(a.months)).then_some(m as usize))
        };

        let mut subs = self
            .conn()
            .prepare(
                "SELECT quantity_e4, unit_price_e4, unit_cost_e4, discount_e2, interval, start_date,
                    term, term_start, term_end, auto_renew
                 FROM subscriptions
                 WHERE currency = ?1 AND (end_date IS NULL OR end_date >= ?2)",
            )
            .db()?;
        let rows = subs
            .query_map(params![a.currency.code(), first_day.to_string()], |r| {
                Ok((
                    line(r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?),
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                    termed_columns(r)?,
                ))
            })
            .db()?
            .collect::<rusqlite::Result<Vec<_>>>()
            .db()?;
        let mut termed: BTreeMap<(u32, u32, u32, bool), (Decimal, Decimal)> = BTreeMap::new();
        for (l, interval, start, term) in rows {
            let already_running = start.as_str() <= first_day.to_string().as_str();
            if !already_running && !a.include_accepted {
                continue;
            }
            let Some(m) = month_of(&start)? else { continue };
            // Unrounded, as §7 wants: only displayed figures are rounded.
            let factor =
                Decimal::ONE - l.discount_percent.unwrap_or_default() / Decimal::ONE_HUNDRED;
            let mrr = per_month(l.quantity * l.unit_price * factor, &interval);
            let cost = per_month(l.quantity * l.unit_cost.unwrap_or_default(), &interval);
            // §10: a licence with a term is projected on its renewal months.
            if let Some((term, term_start, term_end, auto_renew)) = term {
                let end = if auto_renew {
                    nce::current_term(term_start, term_end, term, first_day.max(term_start)).1
                } else if term_end < first_day {
                    continue; // ended with its term before the projection starts
                } else {
                    term_end
                };
                let renewal = nce::renewal_month(end).months_since(a.start).max(0) as u32;
                let slot = termed
                    .entry((m as u32, term.months(), renewal, !auto_renew))
                    .or_default();
                slot.0 += mrr;
                slot.1 += cost;
                continue;
            }
            book.starts_mrr[m] += mrr;
            book.starts_cost[m] += cost;
        }
        book.termed = termed
            .into_iter()
            .map(
                |((month, term_months, first_renewal, ends), (mrr, cost))| TermedStart {
                    month,
                    mrr,
                    cost,
                    term_months,
                    first_renewal,
                    ends,
                },
            )
            .collect();

        // Quote lines: accepted quotes' one-time work less what their issued invoices already
        // billed (a deposit leaves the rest to come; their subscriptions already exist), and
        // open sent quotes × win probability.
        let mut quotes = self
            .conn()
            .prepare(
                "SELECT q.status, q.expected_start, q.win_probability_e2, l.kind,
                    l.quantity_e4, l.unit_price_e4, l.unit_cost_e4, l.discount_e2,
                    (SELECT coalesce(sum(i.subtotal_minor), 0) FROM invoices i
                     WHERE i.quote_id = q.id AND i.status <> 'draft' AND i.kind = 'invoice'),
                    q.id
                 FROM quotes q JOIN quote_lines l ON l.quote_id = q.id
                 WHERE q.currency = ?1 AND (
                    (?2 AND q.status = 'accepted' AND l.kind = 'one_time')
                    OR (?3 AND q.status = 'sent' AND q.valid_until >= ?4))",
            )
            .db()?;
        let rows = quotes
            .query_map(
                params![
                    a.currency.code(),
                    a.include_accepted,
                    a.include_pipeline,
                    today.to_string()
                ],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, i64>(2)?,
                        r.get::<_, String>(3)?,
                        line(r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?),
                        (r.get::<_, i64>(9)?, r.get::<_, i64>(8)?),
                    ))
                },
            )
            .db()?
            .collect::<rusqlite::Result<Vec<_>>>()
            .db()?;
        // Per accepted quote: its month, the one-time net quoted and what was invoiced.
        let mut accepted: BTreeMap<i64, (usize, Decimal, Decimal)> = BTreeMap::new();
        for (status, expected_start, win_e2, kind, l, (quote, invoiced_minor)) in rows {
            let Some(m) = month_of(&expected_start)? else {
                continue;
            };
            if status == "accepted" {
                let entry = accepted.entry(quote).or_insert((
                    m,
                    Decimal::ZERO,
                    a.currency.from_minor(invoiced_minor),
                ));
                entry.1 += l.net(a.currency);
                continue;
            }
            let weight = if status == "sent" {
                from_scaled(win_e2, 2) / Decimal::ONE_HUNDRED
            } else {
                Decimal::ONE
            };
            let net = l.net(a.currency) * weight;
            let cost = l.cost(a.currency) * weight;
            match kind.as_str() {
                "one_time" => book.starts_one_time[m] += net,
                recurring => {
                    book.starts_mrr[m] += per_month(net, recurring);
                    book.starts_cost[m] += per_month(cost, recurring);
                }
            }
        }
        for (m, quoted, invoiced) in accepted.into_values() {
            book.starts_one_time[m] += (quoted - invoiced).max(Decimal::ZERO);
        }
        Ok(book)
    }

    /// The projection of the book under the assumptions, rounded for display.
    pub fn projection(&self, a: &Assumptions, today: NaiveDate) -> Result<Report> {
        report(a, &self.projection_book(a, today)?)
    }

    /// Currencies worth projecting: the company's, then any a subscription or quote uses.
    pub fn projection_currencies(&self) -> Result<Vec<String>> {
        let mut out = vec![self.require_settings()?.default_currency.code().to_string()];
        let mut stmt = self
            .conn()
            .prepare(
                "SELECT currency FROM subscriptions UNION SELECT currency FROM quotes
                 ORDER BY 1",
            )
            .db()?;
        let codes = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .db()?
            .collect::<rusqlite::Result<Vec<_>>>()
            .db()?;
        for code in codes {
            if !out.contains(&code) {
                out.push(code);
            }
        }
        Ok(out)
    }

    /// The assumptions to start from: the default scenario's, else ones drawn from the
    /// company profile (its currency, quote churn and licence price and cost).
    pub fn default_assumptions(&self, today: NaiveDate) -> Result<AssumptionsForm> {
        let start = Period::of(today).to_string();
        if let Some(s) = self.list_scenarios()?.into_iter().find(|s| s.is_default) {
            return Ok(AssumptionsForm {
                start,
                ..s.assumptions
            });
        }
        let settings = self.require_settings()?;
        let c = &settings.estimator_coefficients;
        Ok(AssumptionsForm {
            start,
            months: "36".into(),
            currency: settings.default_currency.code().into(),
            churn_percent: settings.churn_percent.normalize().to_string(),
            expansion_percent: "0.5".into(),
            uplift_percent: "3".into(),
            projects_per_month: "1".into(),
            seats_per_project: "25".into(),
            price_per_seat: c.licence_price.normalize().to_string(),
            cost_per_seat: c.licence_cost.normalize().to_string(),
            fee_per_project: "6000".into(),
            include_accepted: true,
            include_pipeline: true,
        })
    }

    pub fn list_scenarios(&self) -> Result<Vec<Scenario>> {
        let mut stmt = self
            .conn()
            .prepare(&format!(
                "SELECT {SCENARIO_COLUMNS} FROM projection_scenarios ORDER BY name_fold"
            ))
            .db()?;
        let rows = stmt
            .query_map([], scenario)
            .db()?
            .collect::<rusqlite::Result<Vec<_>>>()
            .db();
        rows
    }

    pub fn scenario(&self, id: i64) -> Result<Scenario> {
        self.conn()
            .query_row(
                &format!("SELECT {SCENARIO_COLUMNS} FROM projection_scenarios WHERE id = ?1"),
                [id],
                scenario,
            )
            .optional()
            .db()?
            .ok_or_else(|| not_found(id))
    }

    /// Saves the assumptions under `name`, replacing a scenario of the same name (case and
    /// accents aside). `make_default` makes it the one the screen and CLI start from.
    pub fn save_scenario(
        &mut self,
        name: &str,
        form: &AssumptionsForm,
        make_default: bool,
    ) -> Result<i64> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 80 {
            return Err(CoreError::validation(
                "name",
                "Give the scenario a name of 1 to 80 characters.",
            ));
        }
        let a = form.validate()?;
        let values = [
            to_scaled(a.churn_percent, 2)?,
            to_scaled(a.expansion_percent, 2)?,
            to_scaled(a.uplift_percent, 2)?,
            to_scaled(a.projects_per_month, 4)?,
            to_scaled(a.seats_per_project, 4)?,
            to_scaled(a.price_per_seat, 4)?,
            to_scaled(a.cost_per_seat, 4)?,
            to_scaled(a.fee_per_project, 4)?,
        ];
        let key = fold(name);
        self.write(|tx| {
            let stamp = now();
            if make_default {
                tx.execute("UPDATE projection_scenarios SET is_default = 0", [])
                    .db()?;
            }
            tx.execute(
                "INSERT INTO projection_scenarios (name, name_fold, is_default, months, currency,
                    churn_e2, expansion_e2, uplift_e2, projects_per_month_e4, seats_per_project_e4,
                    price_per_seat_e4, cost_per_seat_e4, fee_per_project_e4, include_accepted,
                    include_pipeline, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?16)
                 ON CONFLICT (name_fold) DO UPDATE SET name = excluded.name,
                    is_default = max(is_default, excluded.is_default), months = excluded.months,
                    currency = excluded.currency, churn_e2 = excluded.churn_e2,
                    expansion_e2 = excluded.expansion_e2, uplift_e2 = excluded.uplift_e2,
                    projects_per_month_e4 = excluded.projects_per_month_e4,
                    seats_per_project_e4 = excluded.seats_per_project_e4,
                    price_per_seat_e4 = excluded.price_per_seat_e4,
                    cost_per_seat_e4 = excluded.cost_per_seat_e4,
                    fee_per_project_e4 = excluded.fee_per_project_e4,
                    include_accepted = excluded.include_accepted,
                    include_pipeline = excluded.include_pipeline,
                    updated_at = excluded.updated_at",
                params![
                    name,
                    key,
                    make_default,
                    a.months,
                    a.currency.code(),
                    values[0],
                    values[1],
                    values[2],
                    values[3],
                    values[4],
                    values[5],
                    values[6],
                    values[7],
                    a.include_accepted,
                    a.include_pipeline,
                    stamp
                ],
            )
            .db()?;
            tx.query_row(
                "SELECT id FROM projection_scenarios WHERE name_fold = ?1",
                [&key],
                |r| r.get(0),
            )
            .db()
        })
    }

    pub fn set_default_scenario(&mut self, id: i64) -> Result<()> {
        self.scenario(id)?;
        self.write(|tx| {
            tx.execute("UPDATE projection_scenarios SET is_default = 0", [])
                .db()?;
            tx.execute(
                "UPDATE projection_scenarios SET is_default = 1 WHERE id = ?1",
                [id],
            )
            .db()?;
            Ok(())
        })
    }

    pub fn delete_scenario(&mut self, id: i64) -> Result<()> {
        self.scenario(id)?;
        self.write(|tx| {
            tx.execute("DELETE FROM projection_scenarios WHERE id = ?1", [id])
                .db()?;
            Ok(())
        })
    }
}

/// A stored quote or subscription line's figures, as a `Line` for its net and cost.
fn line(quantity_e4: i64, price_e4: i64, cost_e4: i64, discount_e2: i64) -> Line {
    Line {
        description: String::new(),
        quantity: from_scaled(quantity_e4, 4),
        unit: String::new(),
        unit_price: from_scaled(price_e4, 4),
        unit_cost: Some(from_scaled(cost_e4, 4)),
        discount_percent: Some(from_scaled(discount_e2, 2)),
        tax_rate_percent: None,
        kind: Default::default(),
        goods: false,
        tax_category: None,
    }
}

fn not_found(id: i64) -> CoreError {
    CoreError::new(
        ErrorCode::NotFound,
        format!("Scenario {id} does not exist."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{day, profiled_store};
    use vardesk_core::invoicing::SubscriptionForm;

    fn assumptions(start: &str, months: &str) -> AssumptionsForm {
        AssumptionsForm {
            start: start.into(),
            months: months.into(),
            currency: "EUR".into(),
            churn_percent: "2".into(),
            expansion_percent: "0".into(),
            uplift_percent: "0".into(),
            projects_per_month: "0".into(),
            seats_per_project: "0".into(),
            price_per_seat: "0".into(),
            cost_per_seat: "0".into(),
            fee_per_project: "0".into(),
            include_accepted: true,
            include_pipeline: true,
        }
    }

    fn subscription(
        store: &mut Store,
        customer_id: i64,
        quantity: &str,
        price: &str,
        interval: &str,
        start: &str,
        end: &str,
    ) -> i64 {
        let form = SubscriptionForm {
            customer_id: Some(customer_id),
            catalog_item_id: None,
            description: "Microsoft 365 Business Premium".into(),
            quantity: quantity.into(),
            unit: "seat".into(),
            unit_price: price.into(),
            unit_cost: "10".into(),
            discount_percent: "0".into(),
            tax_rate_percent: "20".into(),
            interval: interval.into(),
            start_date: start.into(),
            end_date: end.into(),
            ..SubscriptionForm::default()
        };
        store.save_subscription(None, &form).unwrap()
    }

    fn customer(store: &mut Store, name: &str, currency: &str) -> i64 {
        let form = vardesk_core::customer::CustomerForm {
            name: name.into(),
            currency: currency.into(),
            ..Default::default()
        };
        store.create_customer(&form).unwrap().id
    }

    /// §10: licences with a term enter the projection as their own streams, renewing in
    /// the month after their term ends; one that does not auto-renew ends then.
    #[test]
    fn licences_with_a_term_churn_only_at_renewal() {
        let (_dir, mut store) = profiled_store();
        let acme = customer(&mut store, "Acme", "EUR");
        let p1y = subscription(&mut store, acme, "10", "20", "monthly", "2025-03-15", "");
        let p1m = subscription(&mut store, acme, "1", "100", "monthly", "2026-01-01", "");
        for (id, term, auto) in [(p1y, "P1Y", true), (p1m, "P1M", false)] {
            let mut form = store.subscription_form(id).unwrap();
            form.term = term.into();
            form.auto_renew = Some(auto);
            store.save_subscription(Some(id), &form).unwrap();
        }
        let a = assumptions("2026-11", "18").validate().unwrap();
        let book = store.projection_book(&a, day("2026-11-23")).unwrap();
        assert_eq!(book.starts_mrr[0], Decimal::ZERO, "both are termed");
        let firsts: Vec<_> = book
            .termed
            .iter()
            .map(|t| (t.term_months, t.first_renewal, t.ends))
            .collect();
        // P1M from 1 Jan 2026 without auto-renew ended on 31 Jan: not in the book; the P1Y
        // from 15 Mar 2025 is in its term to 14 Mar 2027 and renews in March: month 4.
        assert_eq!(firsts, [(12, 4, false)]);
        let r = store.projection(&a, day("2026-11-23")).unwrap();
        let mrr: Vec<_> = r.rows.iter().map(|r| r.mrr).collect();
        assert_eq!(mrr[0], Decimal::new(20000, 2));
        assert!(mrr[1..4].iter().all(|m| *m == mrr[0]), "{mrr:?}");
        assert!(mrr[4] < mrr[3]);
        assert!(mrr[5..16].iter().all(|m| *m == mrr[4]), "{mrr:?}");
        assert!(mrr[16] < mrr[15]);
    }

    /// A book not in the fixtures, computed by hand: month 0 (Nov 2026) holds a monthly
    /// subscription of 10 × 20 = 200 (cost 100) and an annual one of 1200 (100 per month,
    /// cost 60 × 10 / 12 = 50); a monthly one of 50 × 1 starts 10 Jan 2027 (month 2); one
    /// ended in October and one in USD are left out.
    #[test]
    fn the_book_by_hand_from_subscriptions() {
        let (_dir, mut store) = profiled_store();
        let acme = customer(&mut store, "Acme", "EUR");
        let yankee = customer(&mut store, "Yankee", "USD");
        subscription(&mut store, acme, "10", "20", "monthly", "2026-01-01", "");
        let annual = subscription(&mut store, acme, "10", "120", "annual", "2026-06-15", "");
        store
            .conn()
            .execute(
                "UPDATE subscriptions SET unit_cost_e4 = 600000 WHERE id = ?1",
                [annual],
            )
            .unwrap();
        subscription(&mut store, acme, "1", "50", "monthly", "2027-01-10", "");
        subscription(
            &mut store,
            acme,
            "5",
            "5",
            "monthly",
            "2026-01-01",
            "2026-10-31",
        );
        subscription(&mut store, yankee, "100", "20", "monthly", "2026-01-01", "");

        let a = assumptions("2026-11", "4").validate().unwrap();
        let book = store.projection_book(&a, day("2026-11-23")).unwrap();
        let text = |v: &[Decimal]| {
            v.iter()
                .map(|d| d.normalize().to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(text(&book.starts_mrr), ["300", "0", "50", "0"]);
        assert_eq!(text(&book.starts_cost), ["150", "0", "10", "0"]);

        // R: 300, 294, 288.12 + 50 = 338.12, 331.3576 (2 % churn).
        let r = store.projection(&a, day("2026-11-23")).unwrap();
        let mrr: Vec<String> = r.rows.iter().map(|r| r.mrr.to_string()).collect();
        assert_eq!(mrr, ["300.00", "294.00", "338.12", "331.36"]);

        // Without accepted work the future subscription is left out.
        let without = AssumptionsForm {
            include_accepted: false,
            ..assumptions("2026-11", "4")
        }
        .validate()
        .unwrap();
        let book = store.projection_book(&without, day("2026-11-23")).unwrap();
        assert_eq!(text(&book.starts_mrr), ["300", "0", "0", "0"]);

        // Dollars stay apart.
        let usd = AssumptionsForm {
            currency: "USD".into(),
            ..assumptions("2026-11", "2")
        }
        .validate()
        .unwrap();
        let book = store.projection_book(&usd, day("2026-11-23")).unwrap();
        assert_eq!(text(&book.starts_mrr), ["2000", "0"]);
        assert_eq!(store.projection_currencies().unwrap(), ["EUR", "USD"]);
    }

    /// Pipeline weighting: the sample's sent Fabrikam quote counts × its win probability in
    /// its expected start month; the accepted one's not-yet-invoiced one-time work counts
    /// in full.
    #[test]
    fn pipeline_is_weighted_and_accepted_work_counts_in_full() {
        let (_dir, store) = crate::test_support::sample_store();
        let today = day("2026-11-23");
        let quotes = store
            .list_quotes(&crate::quotes::QuoteQuery::default(), today)
            .unwrap();
        let months = "24";
        let only = |accepted: bool, pipeline: bool| {
            let a = AssumptionsForm {
                include_accepted: accepted,
                include_pipeline: pipeline,
                ..assumptions("2026-11", months)
            }
            .validate()
            .unwrap();
            store.projection_book(&a, today).unwrap()
        };
        let base = only(false, false);
        let with_pipeline = only(false, true);
        let with_accepted = only(true, false);
        let sum = |v: &[Decimal]| v.iter().copied().sum::<Decimal>();

        let sent: Vec<_> = quotes
            .iter()
            .filter(|q| q.status == "sent" && q.currency.code() == "EUR")
            .collect();
        assert!(!sent.is_empty());
        let weighted_one_time: Decimal = sent
            .iter()
            .map(|q| q.one_time * q.win_probability_percent / Decimal::ONE_HUNDRED)
            .sum();
        let weighted_mrr: Decimal = sent
            .iter()
            .map(|q| {
                (q.monthly + q.annual / Decimal::from(12)) * q.win_probability_percent
                    / Decimal::ONE_HUNDRED
            })
            .sum();
        assert_eq!(
            sum(&with_pipeline.starts_one_time) - sum(&base.starts_one_time),
            weighted_one_time
        );
        assert_eq!(
            sum(&with_pipeline.starts_mrr) - sum(&base.starts_mrr),
            weighted_mrr
        );

        let accepted_one_time: Decimal = quotes
            .iter()
            .filter(|q| q.status == "accepted" && q.currency.code() == "EUR")
            .map(|q| q.one_time)
            .sum();
        assert!(accepted_one_time > Decimal::ZERO);
        assert_eq!(sum(&with_accepted.starts_one_time), accepted_one_time);
    }

    /// A project accepted with a 30 % deposit: once the deposit is issued, the other 70 %
    /// is still work to invoice; once the final invoice is issued, nothing is.
    #[test]
    fn accepted_work_is_what_the_issued_invoices_have_not_billed_yet() {
        let (_dir, mut store) = crate::test_support::sample_store();
        let today = day("2026-11-23");
        let sent = store
            .list_quotes(&crate::quotes::QuoteQuery::default(), today)
            .unwrap()
            .into_iter()
            .find(|q| q.status == "sent")
            .unwrap();
        let currency = sent.currency.code().to_string();
        let a = AssumptionsForm {
            currency: currency.clone(),
            include_accepted: true,
            include_pipeline: false,
            ..assumptions("2026-11", "24")
        }
        .validate()
        .unwrap();
        let sum = |store: &Store| -> Decimal {
            store
                .projection_book(&a, today)
                .unwrap()
                .starts_one_time
                .iter()
                .copied()
                .sum()
        };
        let before = sum(&store);
        let plan = vardesk_core::deposit::OneTimeInvoicing::Deposit {
            percent: "30".parse().unwrap(),
            rest_on: day("2027-02-01"),
        };
        let outcome = store.accept_quote_with(sent.id, today, &plan).unwrap();
        let full = sum(&store) - before;
        assert_eq!(full, sent.one_time, "accepted, nothing issued: all of it");
        let deposit = store
            .issue_invoice(outcome.invoice_id.unwrap(), today)
            .unwrap();
        let deposit_net = store.invoice(deposit.id, today).unwrap().totals.subtotal;
        assert_eq!(sum(&store) - before, full - deposit_net, "the rest to come");
        store
            .issue_invoice(outcome.scheduled_invoice_id.unwrap(), today)
            .unwrap();
        assert_eq!(sum(&store), before, "all invoiced");
    }

    #[test]
    fn scenarios_save_replace_by_name_default_and_delete() {
        let (_dir, mut store) = profiled_store();
        let today = day("2026-11-23");
        let base = store.default_assumptions(today).unwrap();
        assert_eq!(base.start, "2026-11");
        let id = store.save_scenario("Base", &base, true).unwrap();
        let upside = AssumptionsForm {
            churn_percent: "0.5".into(),
            ..base.clone()
        };
        let up = store.save_scenario("Upside", &upside, false).unwrap();
        // Same name in other case: replaced, still the default.
        let again = store
            .save_scenario(
                "base",
                &AssumptionsForm {
                    months: "60".into(),
                    ..base.clone()
                },
                false,
            )
            .unwrap();
        assert_eq!(again, id);
        let list = store.list_scenarios().unwrap();
        assert_eq!(list.len(), 2);
        assert!(list[0].is_default && list[0].name == "base");
        assert_eq!(store.default_assumptions(today).unwrap().months, "60");
        assert_eq!(list[1].assumptions.churn_percent, "0.5");

        store.set_default_scenario(up).unwrap();
        assert_eq!(
            store.default_assumptions(today).unwrap().churn_percent,
            "0.5"
        );
        store.delete_scenario(up).unwrap();
        assert_eq!(store.list_scenarios().unwrap().len(), 1);
        let e = store.save_scenario("  ", &base, false).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("name"));
        let e = store
            .save_scenario(
                "Bad",
                &AssumptionsForm {
                    churn_percent: "150".into(),
                    ..base
                },
                false,
            )
            .unwrap_err();
        assert_eq!(e.fields[0].field, "churn_percent");
    }
}
