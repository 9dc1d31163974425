//! Document lines and their totals (DOMAIN.md §2) and quote totals (§3).

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::CoreError;
use crate::money::{round_dp, Currency};
use crate::treatment::{TaxCategory, TaxKey};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    #[default]
    OneTime,
    Monthly,
    Annual,
}

/// One line of a quote, invoice or credit note.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, specta::Type)]
pub struct Line {
    #[serde(default)]
    pub description: String,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub quantity: Decimal,
    #[serde(default)]
    pub unit: String,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub unit_price: Decimal,
    #[serde(default, with = "crate::money::serde_str::option")]
    #[specta(type = Option<String>)]
    pub unit_cost: Option<Decimal>,
    #[serde(default, with = "crate::money::serde_str::option")]
    #[specta(type = Option<String>)]
    pub discount_percent: Option<Decimal>,
    #[serde(default, with = "crate::money::serde_str::option")]
    #[specta(type = Option<String>)]
    pub tax_rate_percent: Option<Decimal>,
    #[serde(default)]
    pub kind: LineKind,
    /// Goods (hardware) rather than services (labour, licences, managed services): decides
    /// `K`/`G` against `AE`/`O` (§9). Typed lines are services.
    #[serde(default)]
    pub goods: bool,
    /// The line's EN 16931 category as taxed; `None`: domestic at its rate (`S`, or `Z` at 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_category: Option<TaxCategory>,
}

impl Line {
    fn discount(&self) -> Decimal {
        self.discount_percent.unwrap_or_default()
    }
    fn tax_rate(&self) -> Decimal {
        self.tax_rate_percent.unwrap_or_default()
    }

    /// Checks the ranges of §2 (and sane upper bounds, so no sum can overflow);
    /// `position` is 1-based for the message.
    pub fn validate(&self, position: usize) -> Result<(), CoreError> {
        let hundred = Decimal::ONE_HUNDRED;
        let max_quantity = Decimal::from(1_000_000_000i64);
        let max_price = Decimal::from(1_000_000_000_000i64);
        let checks = [
            (
                self.quantity <= max_quantity,
                "quantity",
                "the quantity must be at most 1,000,000,000",
            ),
            (
                self.unit_price < max_price,
                "unit_price",
                "the unit price has more than 12 digits before the decimal mark",
            ),
            (
                self.unit_cost.unwrap_or_default() < max_price,
                "unit_cost",
                "the unit cost has more than 12 digits before the decimal mark",
            ),
            (
                self.quantity >= Decimal::ZERO,
                "quantity",
                "the quantity must be 0 or more",
            ),
            (
                self.unit_price >= Decimal::ZERO,
                "unit_price",
                "the unit price must be 0 or more",
            ),
            (
                self.unit_cost.unwrap_or_default() >= Decimal::ZERO,
                "unit_cost",
                "the unit cost must be 0 or more",
            ),
            (
                (Decimal::ZERO..=hundred).contains(&self.discount()),
                "discount_percent",
                "the discount must be between 0 and 100 %",
            ),
            (
                (Decimal::ZERO..=hundred).contains(&self.tax_rate()),
                "tax_rate_percent",
                "the tax rate must be between 0 and 100 %",
            ),
        ];
        match checks.iter().find(|(ok, _, _)| !ok) {
            Some((_, field, why)) => Err(CoreError::validation(
                &format!("lines[{}].{field}", position - 1),
                format!("Line {position}: {why}."),
            )),
            None => Ok(()),
        }
    }

    /// `round(quantity × unit_price × (1 − discount/100))`.
    pub fn net(&self, currency: Currency) -> Decimal {
        let factor = Decimal::ONE - self.discount() / Decimal::ONE_HUNDRED;
        currency.round(self.quantity * self.unit_price * factor)
    }

    /// `round(quantity × unit_cost)`.
    pub fn cost(&self, currency: Currency) -> Decimal {
        currency.round(self.quantity * self.unit_cost.unwrap_or_default())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct TaxRow {
    pub rate_percent: Decimal,
    pub category: TaxCategory,
    pub base: Decimal,
    pub tax: Decimal,
}

impl TaxRow {
    pub fn key(&self) -> TaxKey {
        TaxKey {
            rate: self.rate_percent.normalize(),
            category: self.category,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct DocTotals {
    pub subtotal: Decimal,
    /// One row per (rate, category), ascending by rate.
    pub taxes: Vec<TaxRow>,
    pub tax_total: Decimal,
    pub total: Decimal,
    pub line_amounts: Vec<Decimal>,
}

fn validate_all<'a>(lines: impl IntoIterator<Item = &'a Line>) -> Result<(), CoreError> {
    lines
        .into_iter()
        .enumerate()
        .try_for_each(|(i, line)| line.validate(i + 1))
}

/// Subtotal, tax per rate and category (rounded per row, not per line) and total.
pub fn doc_totals(lines: &[Line], currency: Currency) -> Result<DocTotals, CoreError> {
    validate_all(lines)?;
    Ok(totals_of(lines.iter(), currency))
}

/// An invoice's totals as stored: like [`doc_totals`], and a final invoice's deposit
/// deductions (§6.1: negative quantity, no discount) count with their sign. Only the store
/// makes such lines; forms and `calc` go through [`doc_totals`], which refuses them.
pub fn invoice_totals(lines: &[Line], currency: Currency) -> Result<DocTotals, CoreError> {
    for (i, line) in lines.iter().enumerate() {
        if line.quantity < Decimal::ZERO {
            Line {
                quantity: -line.quantity,
                ..line.clone()
            }
            .validate(i + 1)?;
            if line.discount() != Decimal::ZERO {
                return Err(CoreError::validation(
                    &format!("lines[{i}].discount_percent"),
                    format!("Line {}: a deposit deduction has no discount.", i + 1),
                ));
            }
        } else {
            line.validate(i + 1)?;
        }
    }
    Ok(totals_of(lines.iter(), currency))
}

fn totals_of<'a>(lines: impl Iterator<Item = &'a Line>, currency: Currency) -> DocTotals {
    let mut line_amounts = Vec::new();
    let mut keyed = Vec::new();
    for line in lines {
        let net = line.net(currency);
        keyed.push((TaxKey::of(line), net));
        line_amounts.push(net);
    }
    let taxes = tax_rows(keyed, currency);
    let subtotal: Decimal = line_amounts.iter().sum();
    let tax_total: Decimal = taxes.iter().map(|t| t.tax).sum();
    DocTotals {
        subtotal,
        taxes,
        tax_total,
        total: subtotal + tax_total,
        line_amounts,
    }
}

/// One row per (rate, category) of the given line amounts, the tax rounded per row. Keyed by
/// the normalized rate, so "19" and "19.0" are one row.
pub fn tax_rows(
    amounts: impl IntoIterator<Item = (TaxKey, Decimal)>,
    currency: Currency,
) -> Vec<TaxRow> {
    let mut bases: BTreeMap<TaxKey, Decimal> = BTreeMap::new();
    for (key, amount) in amounts {
        *bases.entry(key).or_default() += amount;
    }
    bases
        .into_iter()
        .map(|(key, base)| TaxRow {
            rate_percent: key.rate,
            category: key.category,
            base,
            tax: currency.round(base * key.rate / Decimal::ONE_HUNDRED),
        })
        .collect()
}

/// Settings a quote's figures depend on besides its lines.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QuoteTerms {
    pub term_months: u32,
    pub horizon_months: u32,
    pub churn_percent: Decimal,
}

impl Default for QuoteTerms {
    fn default() -> Self {
        QuoteTerms {
            term_months: 36,
            horizon_months: 60,
            churn_percent: Decimal::ONE,
        }
    }
}

/// Net, margin and taxes of one part (one-time, monthly or annual) of a quote.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct QuotePart {
    pub net: Decimal,
    pub cost: Decimal,
    pub margin: Decimal,
    /// Absent when the part's net is 0.
    pub margin_percent: Option<Decimal>,
    pub taxes: Vec<TaxRow>,
    pub tax_total: Decimal,
    pub total: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct QuoteTotals {
    pub one_time: QuotePart,
    pub monthly: QuotePart,
    pub annual: QuotePart,
    pub first_year: Decimal,
    pub contract_value: Decimal,
    pub annuity_value: Decimal,
}

fn quote_part(lines: &[Line], kind: LineKind, currency: Currency) -> QuotePart {
    let of_kind = || lines.iter().filter(move |l| l.kind == kind);
    let doc = totals_of(of_kind(), currency);
    let cost: Decimal = of_kind().map(|l| l.cost(currency)).sum();
    let margin = doc.subtotal - cost;
    let margin_percent = (!doc.subtotal.is_zero())
        .then(|| round_dp(margin / doc.subtotal * Decimal::ONE_HUNDRED, 1));
    QuotePart {
        net: doc.subtotal,
        cost,
        margin,
        margin_percent,
        taxes: doc.taxes,
        tax_total: doc.tax_total,
        total: doc.total,
    }
}

/// Quote totals per §3, including the annuity value of the recurring part.
pub fn quote_totals(
    lines: &[Line],
    terms: QuoteTerms,
    currency: Currency,
) -> Result<QuoteTotals, CoreError> {
    validate_all(lines)?;
    if terms.churn_percent < Decimal::ZERO || terms.churn_percent > Decimal::ONE_HUNDRED {
        return Err(CoreError::validation(
            "churn_percent",
            "Churn must be between 0 and 100 %.",
        ));
    }
    let one_time = quote_part(lines, LineKind::OneTime, currency);
    let monthly = quote_part(lines, LineKind::Monthly, currency);
    let annual = quote_part(lines, LineKind::Annual, currency);
    let term = Decimal::from(terms.term_months);
    let years = Decimal::from(terms.term_months.div_ceil(12));
    let first_year = one_time.net + Decimal::from(12) * monthly.net + annual.net;
    let contract_value = one_time.net + term * monthly.net + annual.net * years;

    // Σ (1 − c)^m first, then one division by 12 at the end: summing a rounded annual/12
    // month by month could tip an exact midpoint (617.285) the wrong way.
    let keep = Decimal::ONE - terms.churn_percent / Decimal::ONE_HUNDRED;
    let mut factor = Decimal::ONE;
    let mut kept_months = Decimal::ZERO;
    for _ in 0..terms.horizon_months {
        kept_months += factor;
        factor *= keep;
    }
    let annuity = monthly.net * kept_months + annual.net * kept_months / Decimal::from(12);
    Ok(QuoteTotals {
        one_time,
        monthly,
        annual,
        first_year,
        contract_value,
        annuity_value: currency.round(annuity),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn line(q: &str, p: &str, rate: &str) -> Line {
        Line {
            description: String::new(),
            quantity: Decimal::from_str(q).unwrap(),
            unit: String::new(),
            unit_price: Decimal::from_str(p).unwrap(),
            unit_cost: None,
            discount_percent: None,
            tax_rate_percent: Some(Decimal::from_str(rate).unwrap()),
            kind: LineKind::OneTime,
            goods: false,
            tax_category: None,
        }
    }

    #[test]
    fn tax_is_rounded_per_rate_not_per_line() {
        // Three lines of 0.05 at 10 %: per line 0.005 → 0.01 each (0.03); per rate 0.015 → 0.02.
        let lines = vec![
            line("1", "0.05", "10"),
            line("1", "0.05", "10"),
            line("1", "0.05", "10"),
        ];
        let t = doc_totals(&lines, Currency::EUR).unwrap();
        assert_eq!(t.tax_total, Decimal::from_str("0.02").unwrap());
    }

    #[test]
    fn equal_rates_written_differently_share_a_row() {
        let lines = vec![line("1", "10", "19"), line("1", "10", "19.00")];
        assert_eq!(doc_totals(&lines, Currency::EUR).unwrap().taxes.len(), 1);
    }

    #[test]
    fn out_of_range_lines_are_refused_with_their_position() {
        let mut bad = line("1", "10", "19");
        bad.discount_percent = Some(Decimal::from(120));
        let err = doc_totals(&[line("1", "1", "0"), bad], Currency::EUR).unwrap_err();
        assert_eq!(
            err.message,
            "Line 2: the discount must be between 0 and 100 %."
        );
    }
}
