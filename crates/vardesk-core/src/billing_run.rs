//! Planning the monthly billing run (DOMAIN.md §5, §10): from the subscriptions running in a
//! month, what each bills (whole periods, prorated months, seats added mid-term) and the
//! draft invoices that groups into, one per customer and currency. The store reads the
//! subscriptions and writes the drafts; the decisions are made here.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::billing::{bill_line, billed_terms, BillLine, Period, SubscriptionTerms};
use crate::i18n::texts;
use crate::lines::Line;
use crate::{nce, round_dp, CoreError, Currency};

/// A subscription running in the month, with what the books say about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Billable {
    pub id: i64,
    pub customer_id: i64,
    pub customer: String,
    pub description: String,
    pub currency: Currency,
    pub unit: String,
    /// The partner's cost per unit (internal only).
    pub unit_cost: Decimal,
    pub tax_rate_percent: Decimal,
    pub terms: SubscriptionTerms,
    /// The customer's document language (§9): the lines are described in it.
    pub language: &'static str,
    /// An earlier run already billed this subscription for the month.
    pub billed: bool,
    /// A licence's seat batches, oldest first (§10).
    pub batches: Vec<Batch>,
}

/// Seats bought on one day for a licence.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    pub id: i64,
    pub bought_on: NaiveDate,
    pub seats: Decimal,
    /// Billed by a prorated line of its own (seats added after the term began).
    pub own_line: bool,
    /// That line is already on an invoice.
    pub billed: bool,
}

/// One line a billing run would create.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct RunLine {
    pub subscription_id: i64,
    /// The seat batch this line bills (§10), instead of the subscription's period.
    #[serde(skip)]
    pub seat_batch_id: Option<i64>,
    pub description: String,
    pub amount: Decimal,
    /// Seats × price less the discount for a whole period; 1 × the amount when prorated
    /// (`billing::billed_terms`), so the invoice line nets to exactly the amount §5 computed.
    #[serde(skip)]
    pub quantity: Decimal,
    #[serde(skip)]
    pub unit_price: Decimal,
    #[serde(skip)]
    pub discount_percent: Decimal,
    #[serde(skip)]
    pub unit: String,
    /// Per unit when the line is seats × price, else the whole (prorated) cost.
    #[serde(skip)]
    pub unit_cost: Decimal,
    #[serde(skip)]
    pub tax_rate_percent: Decimal,
}

/// The draft invoice a billing run would create for one customer.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct RunInvoice {
    pub customer_id: i64,
    pub customer: String,
    pub currency: Currency,
    pub lines: Vec<RunLine>,
    pub net: Decimal,
}

/// What a billing run does (preview) or did.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct BillingRun {
    pub period: String,
    pub invoices: Vec<RunInvoice>,
    /// Subscriptions due this month that an earlier run already billed.
    pub already_billed: u32,
    /// Net total per currency: amounts in different currencies are never added.
    pub totals: BTreeMap<String, Decimal>,
    /// The draft invoices created (empty for a preview).
    pub created: Vec<i64>,
}

/// The run for `period` over `subscriptions`, given in the order their drafts are wanted
/// (by customer, then currency): consecutive subscriptions of one customer and currency
/// share a draft. `locale` is the company's, for the dates in seat-batch lines.
pub fn plan(
    period: Period,
    subscriptions: Vec<Billable>,
    locale: &str,
) -> Result<BillingRun, CoreError> {
    let mut run = BillingRun {
        period: period.to_string(),
        invoices: Vec::new(),
        already_billed: 0,
        totals: BTreeMap::new(),
        created: Vec::new(),
    };
    for mut sub in subscriptions {
        // §10: seats added after the period began are billed by their own prorated lines;
        // the period's line has the seats held on its first day.
        let late: Decimal = sub
            .batches
            .iter()
            .filter(|b| b.bought_on > period.first_day())
            .map(|b| b.seats)
            .sum();
        let mut lines = seat_batch_lines(&sub, period, locale)?;
        sub.terms.quantity = (sub.terms.quantity - late).max(Decimal::ZERO);
        let bill = bill_line(&sub.terms, period, sub.currency)?;
        let regular = bill
            .amount
            .filter(|_| bill.due && !sub.terms.quantity.is_zero());
        if sub.billed && regular.is_some() {
            run.already_billed += 1;
        }
        if let Some(amount) = regular.filter(|_| !sub.billed) {
            if let Some(line) = period_line(&sub, &bill, amount, period) {
                lines.insert(0, line);
            }
        }
        for line in lines {
            *run.totals
                .entry(sub.currency.code().to_string())
                .or_default() += line.amount;
            match run.invoices.last_mut() {
                Some(inv) if inv.customer_id == sub.customer_id && inv.currency == sub.currency => {
                    inv.net += line.amount;
                    inv.lines.push(line);
                }
                _ => run.invoices.push(RunInvoice {
                    customer_id: sub.customer_id,
                    customer: sub.customer.clone(),
                    currency: sub.currency,
                    net: line.amount,
                    lines: vec![line],
                }),
            }
        }
    }
    Ok(run)
}

/// The period's line of one subscription (§5), `None` when nothing is billed.
fn period_line(
    sub: &Billable,
    bill: &BillLine,
    amount: Decimal,
    period: Period,
) -> Option<RunLine> {
    // The partner's cost of the line, prorated like the amount (internal only).
    let share = match bill.active_days {
        Some(days) => Decimal::from(days) / Decimal::from(bill.days_in_month),
        None => Decimal::ONE,
    };
    let label = texts(sub.language).billed_period(bill, period);
    let (quantity, unit_price, discount_percent) = billed_terms(&sub.terms, bill, sub.currency)?;
    let whole = quantity == sub.terms.quantity && unit_price == sub.terms.unit_price;
    Some(RunLine {
        subscription_id: sub.id,
        seat_batch_id: None,
        description: format!("{} — {label}", sub.description),
        amount,
        quantity,
        unit_price,
        discount_percent,
        unit: sub.unit.clone(),
        unit_cost: if whole {
            sub.unit_cost
        } else {
            round_dp(sub.terms.quantity * sub.unit_cost * share, 4)
        },
        tax_rate_percent: sub.tax_rate_percent,
    })
}

/// The prorated lines of a licence's seat batches not billed yet (§10): each from the day it
/// was bought to the end of the customer's billing period then.
fn seat_batch_lines(
    sub: &Billable,
    period: Period,
    locale: &str,
) -> Result<Vec<RunLine>, CoreError> {
    let texts = texts(sub.language);
    let mut lines = Vec::new();
    for batch in &sub.batches {
        if !batch.own_line
            || batch.billed
            || batch.seats.is_zero()
            || batch.bought_on > period.last_day()
            || sub.terms.end_date.is_some_and(|e| e < batch.bought_on)
        {
            continue;
        }
        let (from, to, _) = sub.terms.period_of(batch.bought_on);
        let days = u32::try_from((to - from).num_days() + 1).unwrap_or(1);
        let active = nce::days_remaining(batch.bought_on, to);
        let discount = sub.terms.discount_percent.unwrap_or_default();
        let amount = nce::prorated_seats(
            batch.seats,
            sub.terms.unit_price,
            discount,
            active,
            days,
            sub.currency,
        )?;
        let cost = round_dp(
            batch.seats * sub.unit_cost * Decimal::from(active) / Decimal::from(days),
            4,
        );
        let label = texts.added_seats(
            &batch.seats.normalize().to_string(),
            batch.bought_on,
            to,
            active,
            days,
            texts.locale(locale),
        );
        lines.push(RunLine {
            subscription_id: sub.id,
            seat_batch_id: Some(batch.id),
            description: format!("{} — {label}", sub.description),
            amount,
            quantity: Decimal::ONE,
            unit_price: amount,
            discount_percent: Decimal::ZERO,
            unit: sub.unit.clone(),
            unit_cost: cost,
            tax_rate_percent: sub.tax_rate_percent,
        });
    }
    Ok(lines)
}

impl RunLine {
    /// The line as the draft keeps it.
    pub fn line(&self) -> Line {
        Line {
            description: self.description.clone(),
            quantity: self.quantity,
            unit: self.unit.clone(),
            unit_price: self.unit_price,
            unit_cost: Some(self.unit_cost),
            discount_percent: Some(self.discount_percent),
            tax_rate_percent: Some(self.tax_rate_percent),
            ..Line::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::billing::Interval;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn sub(id: i64, customer_id: i64, currency: Currency, start: &str) -> Billable {
        Billable {
            id,
            customer_id,
            customer: format!("Customer {customer_id}"),
            description: "Microsoft 365 Business Standard".into(),
            currency,
            unit: "seat".into(),
            unit_cost: dec("10.20"),
            tax_rate_percent: dec("19"),
            terms: SubscriptionTerms {
                quantity: dec("10"),
                unit_price: dec("12.50"),
                interval: Interval::Monthly,
                start_date: day(start),
                end_date: None,
                discount_percent: Some(Decimal::ZERO),
                bill_from: None,
                anniversary: None,
            },
            language: "en",
            billed: false,
            batches: Vec::new(),
        }
    }

    fn december() -> Period {
        Period::parse("2026-12").unwrap()
    }

    #[test]
    fn a_whole_month_bills_seats_times_price_with_the_cost_per_seat() {
        let run = plan(
            december(),
            vec![sub(1, 1, Currency::EUR, "2026-01-01")],
            "en-GB",
        )
        .unwrap();
        let line = &run.invoices[0].lines[0];
        assert_eq!((line.quantity, line.unit_price), (dec("10"), dec("12.50")));
        assert_eq!(line.amount, dec("125.00"));
        assert_eq!(line.unit_cost, dec("10.20"), "per seat when whole");
        assert_eq!(line.line().net(Currency::EUR), dec("125.00"));
    }

    #[test]
    fn a_month_begun_mid_way_is_one_prorated_line_with_its_prorated_cost() {
        // 19 December: 13 of 31 days. 10 × 12.50 × 13/31 = 52.419… → 52.42.
        let run = plan(
            december(),
            vec![sub(1, 1, Currency::EUR, "2026-12-19")],
            "en-GB",
        )
        .unwrap();
        let line = &run.invoices[0].lines[0];
        assert_eq!(line.amount, dec("52.42"));
        assert_eq!(
            (line.quantity, line.unit_price),
            (Decimal::ONE, dec("52.42"))
        );
        // 10 × 10.20 × 13/31 = 42.7741… → 42.7742 (four places, internal only).
        assert_eq!(line.unit_cost, dec("42.7742"));
    }

    fn chf() -> Currency {
        Currency::parse("CHF").unwrap()
    }

    #[test]
    fn drafts_group_by_customer_and_currency_and_totals_never_mix_currencies() {
        let subs = vec![
            sub(1, 1, Currency::EUR, "2026-01-01"),
            sub(2, 1, Currency::EUR, "2026-01-01"),
            sub(3, 1, chf(), "2026-01-01"),
            sub(4, 2, Currency::EUR, "2026-01-01"),
        ];
        let run = plan(december(), subs, "en-GB").unwrap();
        let shape: Vec<(i64, Currency, usize)> = run
            .invoices
            .iter()
            .map(|i| (i.customer_id, i.currency, i.lines.len()))
            .collect();
        assert_eq!(
            shape,
            vec![(1, Currency::EUR, 2), (1, chf(), 1), (2, Currency::EUR, 1)]
        );
        assert_eq!(run.invoices[0].net, dec("250.00"));
        assert_eq!(run.totals["EUR"], dec("375.00"));
        assert_eq!(run.totals["CHF"], dec("125.00"));
    }

    #[test]
    fn a_month_already_billed_is_counted_not_billed_again() {
        let mut billed = sub(1, 1, Currency::EUR, "2026-01-01");
        billed.billed = true;
        let run = plan(december(), vec![billed], "en-GB").unwrap();
        assert!(run.invoices.is_empty());
        assert_eq!(run.already_billed, 1);
        assert!(run.totals.is_empty());
    }

    #[test]
    fn seats_added_mid_term_bill_their_own_prorated_line_once() {
        let mut licence = sub(1, 1, Currency::EUR, "2026-01-01");
        licence.terms.quantity = dec("12");
        let added = Batch {
            id: 7,
            bought_on: day("2026-12-17"),
            seats: dec("2"),
            own_line: true,
            billed: false,
        };
        licence.batches = vec![added.clone()];
        let run = plan(december(), vec![licence.clone()], "en-GB").unwrap();
        let lines = &run.invoices[0].lines;
        // The month's line has the 10 seats held on its first day; the 2 added seats are
        // billed from 17 December: 2 × 12.50 × 15/31 = 12.096… → 12.10.
        assert_eq!(lines[0].quantity, dec("10"));
        assert_eq!(lines[1].seat_batch_id, Some(7));
        assert_eq!(lines[1].amount, dec("12.10"));
        assert_eq!(run.invoices[0].net, dec("137.10"));

        licence.batches = vec![Batch {
            billed: true,
            ..added
        }];
        let again = plan(december(), vec![licence], "en-GB").unwrap();
        assert_eq!(
            again.invoices[0].lines.len(),
            1,
            "the batch's line is billed once"
        );
    }
}
