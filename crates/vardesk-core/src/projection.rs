//! The recurring-revenue projection with cohort layers (DOMAIN.md §7).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::CoreError;

/// Assumptions and what the database supplies per month from month 0.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProjectionInput {
    pub months: u32,
    #[serde(with = "crate::money::serde_str")]
    pub churn_percent: Decimal,
    #[serde(with = "crate::money::serde_str")]
    pub expansion_percent: Decimal,
    #[serde(with = "crate::money::serde_str")]
    pub uplift_percent: Decimal,
    #[serde(with = "crate::money::serde_str")]
    pub projects_per_month: Decimal,
    #[serde(with = "crate::money::serde_str")]
    pub seats_per_project: Decimal,
    #[serde(with = "crate::money::serde_str")]
    pub price_per_seat: Decimal,
    #[serde(with = "crate::money::serde_str")]
    pub cost_per_seat: Decimal,
    #[serde(with = "crate::money::serde_str")]
    pub fee_per_project: Decimal,
    /// S_m: MRR starting in month m.
    #[serde(default, with = "decimal_list")]
    pub starts_mrr: Vec<Decimal>,
    /// The cost of S_m.
    #[serde(default, with = "decimal_list")]
    pub starts_cost: Vec<Decimal>,
    /// One-time totals of accepted and weighted pipeline work starting in month m.
    #[serde(default, with = "decimal_list")]
    pub starts_one_time: Vec<Decimal>,
}

mod decimal_list {
    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize, Deserialize)]
    struct Wrapped(#[serde(with = "crate::money::serde_str")] Decimal);

    pub fn serialize<S: Serializer>(v: &[Decimal], s: S) -> Result<S::Ok, S::Error> {
        let wrapped: Vec<Wrapped> = v.iter().map(|d| Wrapped(*d)).collect();
        wrapped.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Decimal>, D::Error> {
        Ok(Vec::<Wrapped>::deserialize(d)?
            .into_iter()
            .map(|w| w.0)
            .collect())
    }
}

/// One month, unrounded; round with the currency only to display or export.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectionRow {
    pub month: u32,
    pub mrr: Decimal,
    pub recurring_cost: Decimal,
    pub one_time: Decimal,
    pub cumulative_recurring: Decimal,
    pub cumulative_one_time: Decimal,
}

impl ProjectionRow {
    pub fn arr(&self) -> Decimal {
        self.mrr * Decimal::from(12)
    }
    pub fn recurring_margin(&self) -> Decimal {
        self.mrr - self.recurring_cost
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Projection {
    pub rows: Vec<ProjectionRow>,
    /// First month whose cumulative recurring revenue exceeds cumulative one-time revenue.
    pub crossover_month: Option<u32>,
    /// `layers[k][m]`: the part of R_m that started in month k (zero before k).
    pub layers: Vec<Vec<Decimal>>,
}

fn percent(p: Decimal) -> Decimal {
    p / Decimal::ONE_HUNDRED
}

impl ProjectionInput {
    pub fn validate(&self) -> Result<(), CoreError> {
        if !(1..=120).contains(&self.months) {
            return Err(CoreError::validation(
                "months",
                "The horizon must be 1 to 120 months.",
            ));
        }
        let percents = [
            ("churn_percent", self.churn_percent),
            ("expansion_percent", self.expansion_percent),
            ("uplift_percent", self.uplift_percent),
        ];
        for (field, value) in percents {
            if value < Decimal::ZERO || value > Decimal::ONE_HUNDRED {
                return Err(CoreError::validation(
                    field,
                    "Percentages must be between 0 and 100.",
                ));
            }
        }
        let limit = Decimal::from(1_000_000_000_000i64);
        let amounts = [
            ("projects_per_month", self.projects_per_month),
            ("seats_per_project", self.seats_per_project),
            ("price_per_seat", self.price_per_seat),
            ("cost_per_seat", self.cost_per_seat),
            ("fee_per_project", self.fee_per_project),
        ];
        for (field, value) in amounts {
            if value < Decimal::ZERO || value > limit {
                return Err(CoreError::validation(
                    field,
                    "New-business figures must be 0 or more (and below a trillion).",
                ));
            }
        }
        Ok(())
    }
}

fn too_large() -> CoreError {
    CoreError::validation(
        "expansion_percent",
        "These assumptions grow revenue beyond what can be computed; lower the expansion or \
         uplift, or shorten the horizon.",
    )
}

fn mul(a: Decimal, b: Decimal) -> Result<Decimal, CoreError> {
    a.checked_mul(b).ok_or_else(too_large)
}

fn add(a: Decimal, b: Decimal) -> Result<Decimal, CoreError> {
    a.checked_add(b).ok_or_else(too_large)
}

/// Runs the recurrence of §7 month by month.
pub fn project(input: &ProjectionInput) -> Result<Projection, CoreError> {
    input.validate()?;
    let at = |v: &[Decimal], m: usize| v.get(m).copied().unwrap_or_default();
    let growth = Decimal::ONE - percent(input.churn_percent) + percent(input.expansion_percent);
    let uplift = Decimal::ONE + percent(input.uplift_percent);
    let new_mrr = input.projects_per_month * input.seats_per_project * input.price_per_seat;
    let new_cost = input.projects_per_month * input.seats_per_project * input.cost_per_seat;
    let new_one_time = input.projects_per_month * input.fee_per_project;

    let months = input.months as usize;
    let mut rows = Vec::with_capacity(months);
    let mut layers: Vec<Vec<Decimal>> = Vec::with_capacity(months);
    let (mut mrr, mut cost) = (Decimal::ZERO, Decimal::ZERO);
    let (mut cum_r, mut cum_o) = (Decimal::ZERO, Decimal::ZERO);
    let mut crossover_month = None;
    for m in 0..months {
        let factor = if m == 0 {
            Decimal::ZERO
        } else if m % 12 == 0 {
            growth * uplift
        } else {
            growth
        };
        for layer in layers.iter_mut() {
            let previous = layer[m - 1];
            layer.push(mul(previous, factor)?);
        }
        let started = add(at(&input.starts_mrr, m), new_mrr)?;
        let mut layer = vec![Decimal::ZERO; m];
        layer.push(started);
        layers.push(layer);

        mrr = add(mul(mrr, factor)?, started)?;
        cost = add(
            add(mul(cost, factor)?, at(&input.starts_cost, m))?,
            new_cost,
        )?;
        let one_time = add(at(&input.starts_one_time, m), new_one_time)?;
        cum_r = add(cum_r, mrr)?;
        cum_o = add(cum_o, one_time)?;
        // ARR and margins are derived from these; keep them computable too.
        mul(mrr, Decimal::from(12))?;
        let month = m as u32;
        if crossover_month.is_none() && cum_r > cum_o {
            crossover_month = Some(month);
        }
        rows.push(ProjectionRow {
            month,
            mrr,
            recurring_cost: cost,
            one_time,
            cumulative_recurring: cum_r,
            cumulative_one_time: cum_o,
        });
    }
    Ok(Projection {
        rows,
        crossover_month,
        layers,
    })
}
