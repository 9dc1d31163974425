//! The recurring-revenue projection with cohort layers (DOMAIN.md §7).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::CoreError;

/// Assumptions and what the database supplies per month from month 0.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct ProjectionInput {
    pub months: u32,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub churn_percent: Decimal,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub expansion_percent: Decimal,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub uplift_percent: Decimal,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub projects_per_month: Decimal,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub seats_per_project: Decimal,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub price_per_seat: Decimal,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub cost_per_seat: Decimal,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub fee_per_project: Decimal,
    /// S_m: MRR starting in month m.
    #[serde(default, with = "decimal_list")]
    #[specta(type = Vec<String>)]
    pub starts_mrr: Vec<Decimal>,
    /// The cost of S_m.
    #[serde(default, with = "decimal_list")]
    #[specta(type = Vec<String>)]
    pub starts_cost: Vec<Decimal>,
    /// One-time totals of accepted and weighted pipeline work starting in month m.
    #[serde(default, with = "decimal_list")]
    #[specta(type = Vec<String>)]
    pub starts_one_time: Vec<Decimal>,
    /// Microsoft licences with a term (§10): projected per renewal month, outside S_m.
    #[serde(default)]
    pub termed: Vec<TermedStart>,
}

/// MRR of licences with a term (§10) that starts in `month` (0: already running), with its
/// cost, its term of `term_months` and the month index of its first renewal. Between
/// renewals it grows by expansion only; at each renewal it keeps (1 − c/100)^L and takes the
/// price rises of the 12-month marks since the last renewal (or since it started).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct TermedStart {
    pub month: u32,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub mrr: Decimal,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub cost: Decimal,
    pub term_months: u32,
    pub first_renewal: u32,
    /// Without auto-renew the licence ends at its term's end: nothing from its renewal on.
    #[serde(default)]
    pub ends: bool,
}

impl TermedStart {
    fn renews_in(&self, m: u32) -> bool {
        m > self.month
            && m >= self.first_renewal
            && (m - self.first_renewal).is_multiple_of(self.term_months.max(1))
    }

    /// The renewal before `m` (or the start): where the uplift's 12-month marks count from.
    fn previous_renewal(&self, m: u32) -> u32 {
        let l = self.term_months.max(1);
        if m < self.first_renewal + l {
            self.month
        } else {
            m - l
        }
    }
}

mod decimal_list {
    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize, Deserialize, specta::Type)]
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

/// (1 − c/100)^L: what a term of L months keeps at its renewal.
fn kept_per_term(keep: Decimal, term_months: u32) -> Result<Decimal, CoreError> {
    (0..term_months).try_fold(Decimal::ONE, |k, _| mul(k, keep))
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
    let keep = Decimal::ONE - percent(input.churn_percent);
    let expansion = Decimal::ONE + percent(input.expansion_percent);
    let mut termed = vec![(Decimal::ZERO, Decimal::ZERO); input.termed.len()];
    let mut termed_layers: Vec<Vec<Decimal>> = Vec::with_capacity(months);
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
        termed_layers.push(vec![Decimal::ZERO; months]);

        mrr = add(mul(mrr, factor)?, started)?;
        cost = add(
            add(mul(cost, factor)?, at(&input.starts_cost, m))?,
            new_cost,
        )?;
        // Licences with a term (§10): each stream on its own renewal months.
        let month = m as u32;
        let (mut termed_mrr, mut termed_cost) = (Decimal::ZERO, Decimal::ZERO);
        for (t, (value, value_cost)) in input.termed.iter().zip(termed.iter_mut()) {
            if t.month > month {
                continue;
            }
            if t.month == month {
                (*value, *value_cost) = (t.mrr, t.cost);
            } else {
                let mut f = expansion;
                if t.ends && month >= t.first_renewal {
                    f = Decimal::ZERO;
                } else if t.renews_in(month) {
                    let marks = (t.previous_renewal(month) + 1..=month)
                        .filter(|j| j % 12 == 0)
                        .count();
                    f = mul(f, kept_per_term(keep, t.term_months)?)?;
                    for _ in 0..marks {
                        f = mul(f, uplift)?;
                    }
                }
                *value = mul(*value, f)?;
                *value_cost = mul(*value_cost, f)?;
            }
            if let Some(layer) = termed_layers.get_mut(t.month as usize) {
                layer[m] = add(layer[m], *value)?;
            }
            termed_mrr = add(termed_mrr, *value)?;
            termed_cost = add(termed_cost, *value_cost)?;
        }
        let mrr = add(mrr, termed_mrr)?;
        let cost = add(cost, termed_cost)?;
        let one_time = add(at(&input.starts_one_time, m), new_one_time)?;
        cum_r = add(cum_r, mrr)?;
        cum_o = add(cum_o, one_time)?;
        // ARR and margins are derived from these; keep them computable too.
        mul(mrr, Decimal::from(12))?;
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
    for (layer, extra) in layers.iter_mut().zip(&termed_layers) {
        for (v, e) in layer.iter_mut().zip(extra) {
            *v = add(*v, *e)?;
        }
    }
    Ok(Projection {
        rows,
        crossover_month,
        layers,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(churn: i64, uplift: i64, months: u32, termed: Vec<TermedStart>) -> ProjectionInput {
        ProjectionInput {
            months,
            churn_percent: Decimal::from(churn),
            expansion_percent: Decimal::ZERO,
            uplift_percent: Decimal::from(uplift),
            projects_per_month: Decimal::ZERO,
            seats_per_project: Decimal::ZERO,
            price_per_seat: Decimal::ZERO,
            cost_per_seat: Decimal::ZERO,
            fee_per_project: Decimal::ZERO,
            starts_mrr: vec![],
            starts_cost: vec![],
            starts_one_time: vec![],
            termed,
        }
    }

    fn stream(month: u32, term_months: u32, first_renewal: u32) -> TermedStart {
        TermedStart {
            month,
            mrr: Decimal::from(1000),
            cost: Decimal::from(800),
            term_months,
            first_renewal,
            ends: false,
        }
    }

    #[test]
    fn a_p1y_book_loses_revenue_only_in_its_renewal_months() {
        let p = project(&input(2, 0, 30, vec![stream(0, 12, 3)])).unwrap();
        let mrr: Vec<Decimal> = p.rows.iter().map(|r| r.mrr).collect();
        let kept = crate::nce::kept_at_renewal(Decimal::from(2), crate::nce::Term::P1Y);
        for (m, value) in mrr.iter().enumerate() {
            let renewals = match m {
                0..=2 => 0,
                3..=14 => 1,
                15..=26 => 2,
                _ => 3,
            };
            let expected = (0..renewals).fold(Decimal::from(1000), |v, _| v * kept);
            assert_eq!(*value, expected, "month {m}");
        }
        assert_eq!(p.rows[3].recurring_cost, Decimal::from(800) * kept);
        // The same book without a term loses 2 % every month.
        let plain = ProjectionInput {
            starts_mrr: vec![Decimal::from(1000)],
            termed: vec![],
            ..input(2, 0, 30, vec![])
        };
        let p = project(&plain).unwrap();
        assert!(p.rows[1].mrr < p.rows[0].mrr);
    }

    #[test]
    fn the_price_rise_comes_with_the_renewal_for_the_marks_since_the_last() {
        // P3Y renewing in month 30: the rises of months 12 and 24 come then; in month 66
        // those of 36, 48 and 60.
        let p = project(&input(0, 10, 70, vec![stream(0, 36, 30)])).unwrap();
        let rise = Decimal::new(11, 1);
        assert_eq!(p.rows[29].mrr, Decimal::from(1000));
        assert_eq!(p.rows[30].mrr, Decimal::from(1000) * rise * rise);
        assert_eq!(p.rows[65].mrr, p.rows[30].mrr);
        assert_eq!(p.rows[66].mrr, p.rows[30].mrr * rise * rise * rise);
        // A monthly term takes each rise at its 12-month mark, as §7 does.
        let p = project(&input(0, 10, 25, vec![stream(0, 1, 1)])).unwrap();
        assert_eq!(p.rows[11].mrr, Decimal::from(1000));
        assert_eq!(p.rows[12].mrr, Decimal::from(1100));
        assert_eq!(p.rows[24].mrr, Decimal::from(1210));
    }

    #[test]
    fn a_monthly_term_without_expansion_projects_as_section_7_does() {
        let termed = project(&input(3, 5, 40, vec![stream(0, 1, 1)])).unwrap();
        let plain = project(&ProjectionInput {
            starts_mrr: vec![Decimal::from(1000)],
            starts_cost: vec![Decimal::from(800)],
            ..input(3, 5, 40, vec![])
        })
        .unwrap();
        for (t, p) in termed.rows.iter().zip(&plain.rows) {
            assert!(
                (t.mrr - p.mrr).abs() < Decimal::new(1, 20),
                "month {}",
                t.month
            );
        }
        assert_eq!(termed.layers[0].len(), 40);
        assert_eq!(termed.layers[0][39], termed.rows[39].mrr);
    }
}
