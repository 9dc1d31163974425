//! Cumulative credit notes (DOMAIN.md §6.1). A note's figures are the difference between
//! what all notes of the invoice credit after it and before it, each by §2 on the cumulative
//! quantities and amounts. So the notes of an invoice always add up to exactly its lines,
//! bases, tax rows and total, however it is split (3 × 20.61 @ 19 % one seat at a time gives
//! 24.53, 24.52, 24.53).

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;
use serde::Serialize;

use crate::bounds;
use crate::error::CoreError;
use crate::lines::{Line, TaxRow};
use crate::money::Currency;
use crate::treatment::{TaxCategory, TaxKey};

/// What the issued notes of one invoice have credited so far.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CreditedSoFar {
    /// Per invoice line (same order): cumulative quantity and what the notes gave back on it.
    pub quantity: Vec<Decimal>,
    pub amount: Vec<Decimal>,
    /// Per (rate, category): fixed net amounts credited, and tax credited.
    pub fixed: BTreeMap<TaxKey, Decimal>,
    pub tax: BTreeMap<TaxKey, Decimal>,
}

/// What one new note should credit.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CreditRequest {
    /// (index of the invoice line, quantity), at most once per line.
    pub lines: Vec<(usize, Decimal)>,
    /// ((rate, category), net amount) credited as a fixed amount, at most once per key.
    pub fixed: Vec<(TaxKey, Decimal)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct CreditedLine {
    pub index: usize,
    pub quantity: Decimal,
    pub amount: Decimal,
}

/// The note's own figures.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct CreditFigures {
    pub lines: Vec<CreditedLine>,
    pub fixed: Vec<(TaxKey, Decimal)>,
    /// One row per (rate, category) the note touches, ascending: the note's base and tax.
    pub taxes: Vec<TaxRow>,
    pub subtotal: Decimal,
    pub tax_total: Decimal,
    pub total: Decimal,
}

/// The invoice as credit notes see it: its lines and its own (stored) tax rows.
pub struct CreditedInvoice<'a> {
    pub lines: &'a [Line],
    pub taxes: &'a [TaxRow],
    pub currency: Currency,
}

fn rate_of(line: &Line) -> TaxKey {
    TaxKey::of(line)
}

/// A final invoice's deduction of a deposit (§6.1): the only line with a negative quantity.
fn is_deduction(line: &Line) -> bool {
    line.quantity < Decimal::ZERO
}

/// How a message names a tax row: "19 %", or "0 % (category AE)" outside S and Z.
pub fn key_label(key: TaxKey) -> String {
    match key.category {
        TaxCategory::S | TaxCategory::Z => format!("{} %", key.rate),
        c => format!("{} % (category {})", key.rate, c.code()),
    }
}

impl CreditedInvoice<'_> {
    fn base_at(&self, key: TaxKey) -> Option<&TaxRow> {
        self.taxes.iter().find(|t| t.key() == key)
    }

    /// Everything still open: the remaining quantity of every line, except at a rate where
    /// fixed amounts were credited or a deposit is deducted (§6.1), where the rest of that
    /// rate's base is one fixed amount (quantities there could no longer add up to the base).
    pub fn everything_open(&self, so_far: &CreditedSoFar) -> CreditRequest {
        let mut request = CreditRequest::default();
        let mut as_amounts: BTreeSet<TaxKey> = so_far.fixed.keys().copied().collect();
        as_amounts.extend(self.lines.iter().filter(|l| is_deduction(l)).map(rate_of));
        for (i, line) in self.lines.iter().enumerate() {
            let rate = rate_of(line);
            let left = line.quantity - so_far.quantity.get(i).copied().unwrap_or_default();
            if !as_amounts.contains(&rate) && left > Decimal::ZERO {
                request.lines.push((i, left));
            }
        }
        for rate in &as_amounts {
            let credited = base_so_far(self, so_far, *rate);
            let base = self.base_at(*rate).map(|t| t.base).unwrap_or_default();
            if base > credited {
                request.fixed.push((*rate, base - credited));
            }
        }
        request
    }

    /// The figures of the next note, or a sentence saying why it cannot be issued.
    pub fn credit(
        &self,
        so_far: &CreditedSoFar,
        request: &CreditRequest,
    ) -> Result<CreditFigures, CoreError> {
        let currency = self.currency;
        if request.lines.is_empty() && request.fixed.is_empty() {
            return Err(CoreError::validation(
                "lines",
                "Choose at least one line or amount to credit.",
            ));
        }
        let mut lines = Vec::new();
        let mut after_amount: BTreeMap<usize, Decimal> = BTreeMap::new();
        for (index, quantity) in &request.lines {
            let Some(line) = self.lines.get(*index) else {
                return Err(CoreError::validation(
                    "lines",
                    format!("Line {} is not on the invoice.", index + 1),
                ));
            };
            if after_amount.contains_key(index) {
                return Err(CoreError::validation(
                    "lines",
                    format!("Line {} is named twice.", index + 1),
                ));
            }
            if is_deduction(line) {
                return Err(CoreError::validation(
                    "lines",
                    format!(
                        "Line {} deducts a deposit: credit an amount at its rate instead.",
                        index + 1
                    ),
                ));
            }
            let before_quantity = so_far.quantity.get(*index).copied().unwrap_or_default();
            let left = line.quantity - before_quantity;
            if *quantity <= Decimal::ZERO || *quantity > left || quantity.normalize().scale() > 4 {
                return Err(CoreError::validation(
                    "lines",
                    format!(
                        "Line {}: credit a quantity more than 0 and at most {} (at most 4 \
                         decimals).",
                        index + 1,
                        left.normalize()
                    ),
                ));
            }
            let cumulative = Line {
                quantity: before_quantity + quantity,
                ..line.clone()
            };
            let credited_after = cumulative.net(currency);
            let before = so_far.amount.get(*index).copied().unwrap_or_default();
            after_amount.insert(*index, credited_after);
            lines.push(CreditedLine {
                index: *index,
                quantity: *quantity,
                amount: credited_after - before,
            });
        }
        let mut fixed = Vec::new();
        for (key, net) in &request.fixed {
            let rate = TaxKey {
                rate: key.rate.normalize(),
                category: key.category,
            };
            if self.base_at(rate).is_none() {
                return Err(CoreError::validation(
                    "amount",
                    format!("The invoice has no tax row at {}.", key_label(rate)),
                ));
            }
            if fixed.iter().any(|(r, _)| *r == rate) {
                return Err(CoreError::validation(
                    "amount",
                    format!("The rate {} is named twice.", key_label(rate)),
                ));
            }
            if *net <= Decimal::ZERO
                || currency.round(*net) != *net
                || !bounds::amount_in_range(*net)
            {
                return Err(CoreError::validation(
                    "amount",
                    format!(
                        "A fixed amount must be more than 0 with at most {} decimals.",
                        currency.minor_units()
                    ),
                ));
            }
            fixed.push((rate, *net));
        }

        // Per rate touched: base and tax credited after this note, less before it.
        let mut rates: Vec<TaxKey> = lines
            .iter()
            .map(|l| rate_of(&self.lines[l.index]))
            .chain(fixed.iter().map(|(r, _)| *r))
            .collect();
        rates.sort();
        rates.dedup();
        let mut taxes = Vec::new();
        for rate in rates {
            let before = base_so_far(self, so_far, rate);
            let added: Decimal = lines
                .iter()
                .filter(|l| rate_of(&self.lines[l.index]) == rate)
                .map(|l| l.amount)
                .chain(fixed.iter().filter(|(r, _)| *r == rate).map(|(_, n)| *n))
                .sum();
            let after = before + added;
            let invoice_row = self.base_at(rate);
            let invoice_base = invoice_row.map(|t| t.base).unwrap_or_default();
            if after > invoice_base {
                return Err(CoreError::validation(
                    "amount",
                    format!(
                        "This credits {} {} at {}, but only {} {} of that rate is still open.",
                        currency.format_plain(added),
                        currency,
                        key_label(rate),
                        currency.format_plain(invoice_base - before),
                        currency
                    ),
                ));
            }
            // The last note of a rate takes exactly the invoice's own tax for it.
            let tax_after = match invoice_row {
                Some(row) if after == invoice_base => row.tax,
                _ => currency.round(after * rate.rate / Decimal::ONE_HUNDRED),
            };
            let tax_before = so_far.tax.get(&rate).copied().unwrap_or_default();
            taxes.push(TaxRow {
                rate_percent: rate.rate,
                category: rate.category,
                base: added,
                tax: tax_after - tax_before,
            });
        }
        let subtotal: Decimal = taxes.iter().map(|t| t.base).sum();
        let tax_total: Decimal = taxes.iter().map(|t| t.tax).sum();
        Ok(CreditFigures {
            lines,
            fixed,
            taxes,
            subtotal,
            tax_total,
            total: subtotal + tax_total,
        })
    }
}

/// Base credited so far at `rate`: the notes' line amounts there plus fixed amounts.
fn base_so_far(invoice: &CreditedInvoice<'_>, so_far: &CreditedSoFar, rate: TaxKey) -> Decimal {
    let lines: Decimal = invoice
        .lines
        .iter()
        .enumerate()
        .filter(|(_, l)| rate_of(l) == rate)
        .map(|(i, _)| so_far.amount.get(i).copied().unwrap_or_default())
        .sum();
    lines + so_far.fixed.get(&rate).copied().unwrap_or_default()
}

impl CreditedSoFar {
    /// Adds a note's figures, as the next note will see them.
    pub fn add(&mut self, invoice: &CreditedInvoice<'_>, note: &CreditFigures) {
        let n = invoice.lines.len();
        self.quantity.resize(n, Decimal::ZERO);
        self.amount.resize(n, Decimal::ZERO);
        for l in &note.lines {
            self.quantity[l.index] += l.quantity;
            self.amount[l.index] += l.amount;
        }
        for (rate, net) in &note.fixed {
            *self.fixed.entry(*rate).or_default() += net;
        }
        for t in &note.taxes {
            *self.tax.entry(t.key()).or_default() += t.tax;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lines::doc_totals;

    fn line(quantity: &str, price: &str, discount: &str, rate: &str) -> Line {
        Line {
            description: "Seat".into(),
            quantity: quantity.parse().unwrap(),
            unit: "seat".into(),
            unit_price: price.parse().unwrap(),
            unit_cost: None,
            discount_percent: Some(discount.parse().unwrap()),
            tax_rate_percent: Some(rate.parse().unwrap()),
            kind: Default::default(),
            goods: false,
            tax_category: None,
        }
    }

    fn eur() -> Currency {
        Currency::parse("EUR").unwrap()
    }

    fn one(index: usize) -> CreditRequest {
        CreditRequest {
            lines: vec![(index, Decimal::ONE)],
            fixed: vec![],
        }
    }

    #[test]
    fn three_seats_one_at_a_time_add_up_as_the_spec_says() {
        let lines = vec![line("3", "20.61", "0", "19")];
        let totals = doc_totals(&lines, eur()).unwrap();
        assert_eq!(totals.total.to_string(), "73.58");
        let invoice = CreditedInvoice {
            lines: &lines,
            taxes: &totals.taxes,
            currency: eur(),
        };
        let mut so_far = CreditedSoFar::default();
        let mut got = Vec::new();
        for _ in 0..3 {
            let note = invoice.credit(&so_far, &one(0)).unwrap();
            got.push(note.total.to_string());
            so_far.add(&invoice, &note);
        }
        assert_eq!(got, ["24.53", "24.52", "24.53"]);
        assert!(invoice.credit(&so_far, &one(0)).is_err());
        assert_eq!(invoice.everything_open(&so_far), CreditRequest::default());
    }

    #[test]
    fn a_fixed_amount_then_everything_open_credits_exactly_the_rest() {
        let lines = vec![line("3", "20.60", "10", "19"), line("1", "5", "0", "7")];
        let totals = doc_totals(&lines, eur()).unwrap();
        let invoice = CreditedInvoice {
            lines: &lines,
            taxes: &totals.taxes,
            currency: eur(),
        };
        let mut so_far = CreditedSoFar::default();
        let fixed = CreditRequest {
            lines: vec![],
            fixed: vec![(
                TaxKey::domestic(Decimal::from(19)),
                "10.01".parse().unwrap(),
            )],
        };
        let first = invoice.credit(&so_far, &fixed).unwrap();
        so_far.add(&invoice, &first);
        // A whole line at 19 % would now exceed the base still open there.
        let err = invoice
            .credit(
                &so_far,
                &CreditRequest {
                    lines: vec![(0, "3".parse().unwrap())],
                    fixed: vec![],
                },
            )
            .unwrap_err();
        assert!(err.message.contains("still open"), "{}", err.message);
        let rest = invoice
            .credit(&so_far, &invoice.everything_open(&so_far))
            .unwrap();
        assert_eq!(first.total + rest.total, totals.total);
        assert_eq!(first.tax_total + rest.tax_total, totals.tax_total);
    }

    #[test]
    fn bad_requests_are_refused_with_a_sentence() {
        let lines = vec![line("2", "10", "0", "19")];
        let totals = doc_totals(&lines, eur()).unwrap();
        let invoice = CreditedInvoice {
            lines: &lines,
            taxes: &totals.taxes,
            currency: eur(),
        };
        let so_far = CreditedSoFar::default();
        let cases = [
            CreditRequest::default(),
            CreditRequest {
                lines: vec![(5, Decimal::ONE)],
                fixed: vec![],
            },
            CreditRequest {
                lines: vec![(0, Decimal::ONE), (0, Decimal::ONE)],
                fixed: vec![],
            },
            CreditRequest {
                lines: vec![(0, Decimal::from(3))],
                fixed: vec![],
            },
            CreditRequest {
                lines: vec![],
                fixed: vec![(TaxKey::domestic(Decimal::from(7)), Decimal::ONE)],
            },
            CreditRequest {
                lines: vec![],
                fixed: vec![(
                    TaxKey::domestic(Decimal::from(19)),
                    "0.001".parse().unwrap(),
                )],
            },
            CreditRequest {
                lines: vec![],
                fixed: vec![(TaxKey::domestic(Decimal::from(19)), Decimal::from(-1))],
            },
        ];
        for case in cases {
            assert!(invoice.credit(&so_far, &case).is_err(), "{case:?}");
        }
    }

    /// A final invoice deducting a 30 % deposit (§6.1): the deduction is never credited by
    /// itself, and "everything" gives back exactly what the final invoice charged.
    #[test]
    fn a_final_invoice_with_a_deposit_deduction_is_credited_to_its_own_total() {
        let lines = vec![
            line("10", "100", "0", "19"),
            line("5", "40.10", "0", "19"),
            line("1", "5", "0", "7"),
            line("-1", "360.15", "0", "19"),
        ];
        assert!(
            doc_totals(&lines, eur()).is_err(),
            "forms never take a deduction"
        );
        let totals = crate::lines::invoice_totals(&lines, eur()).unwrap();
        assert_eq!(totals.subtotal.to_string(), "845.35");
        let invoice = CreditedInvoice {
            lines: &lines,
            taxes: &totals.taxes,
            currency: eur(),
        };
        let mut so_far = CreditedSoFar::default();
        let err = invoice.credit(&so_far, &one(3)).unwrap_err();
        assert!(err.message.contains("deducts a deposit"), "{}", err.message);
        let everything = invoice.everything_open(&so_far);
        assert_eq!(
            everything.lines,
            vec![(2, Decimal::ONE)],
            "7 % has no deduction"
        );
        assert_eq!(
            everything.fixed,
            vec![(
                TaxKey::domestic(Decimal::from(19)),
                "840.35".parse().unwrap()
            )]
        );
        // One seat first, then the rest: the notes add up to the invoice.
        let first = invoice.credit(&so_far, &one(1)).unwrap();
        so_far.add(&invoice, &first);
        let rest = invoice
            .credit(&so_far, &invoice.everything_open(&so_far))
            .unwrap();
        assert_eq!(first.total + rest.total, totals.total);
        assert_eq!(first.tax_total + rest.tax_total, totals.tax_total);
    }
}
