//! The projection as a partner uses it (DOMAIN.md §7): the assumptions form, the book the
//! database supplies, and the report the screen, the CLI, the CSV and the PDF all show.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::billing::Period;
use crate::error::{CoreError, FieldError};
use crate::money::{parse_typed_decimal, Currency};
use crate::projection::{project, ProjectionInput};

/// The assumptions as a form sends them: decimals as strings, checked by `validate`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default, specta::Type)]
#[serde(default)]
pub struct AssumptionsForm {
    /// The first month, `YYYY-MM`.
    pub start: String,
    pub months: String,
    pub currency: String,
    pub churn_percent: String,
    pub expansion_percent: String,
    pub uplift_percent: String,
    pub projects_per_month: String,
    pub seats_per_project: String,
    pub price_per_seat: String,
    pub cost_per_seat: String,
    pub fee_per_project: String,
    pub include_accepted: bool,
    pub include_pipeline: bool,
}

/// Checked assumptions. Percentages have at most 2 decimals, the other figures at most 4
/// (how scenarios are stored).
#[derive(Debug, Clone, PartialEq)]
pub struct Assumptions {
    pub start: Period,
    pub months: u32,
    pub currency: Currency,
    pub churn_percent: Decimal,
    pub expansion_percent: Decimal,
    pub uplift_percent: Decimal,
    pub projects_per_month: Decimal,
    pub seats_per_project: Decimal,
    pub price_per_seat: Decimal,
    pub cost_per_seat: Decimal,
    pub fee_per_project: Decimal,
    pub include_accepted: bool,
    pub include_pipeline: bool,
}

fn error(field: &str, message: impl Into<String>) -> FieldError {
    FieldError {
        field: field.into(),
        message: message.into(),
    }
}

/// A decimal typed in the form, within `0..=max` and with at most `dp` decimals.
fn bounded(
    field: &str,
    label: &str,
    text: &str,
    max: Decimal,
    dp: u32,
    errors: &mut Vec<FieldError>,
) -> Decimal {
    if text.trim().is_empty() {
        errors.push(error(field, format!("{label}: enter a number.")));
        return Decimal::ZERO;
    }
    match parse_typed_decimal(field, text) {
        Err(e) => {
            errors.push(error(field, format!("{label}: {}", e.message)));
            Decimal::ZERO
        }
        Ok(v) if v < Decimal::ZERO || v > max => {
            errors.push(error(
                field,
                format!("{label} must be between 0 and {}.", max.normalize()),
            ));
            Decimal::ZERO
        }
        Ok(v) if v.normalize().scale() > dp => {
            errors.push(error(
                field,
                format!("{label} can have at most {dp} decimals."),
            ));
            Decimal::ZERO
        }
        Ok(v) => v.normalize(),
    }
}

impl AssumptionsForm {
    /// Every wrong field at once, each with its own sentence.
    pub fn validate(&self) -> Result<Assumptions, CoreError> {
        let mut errors = Vec::new();
        let start = Period::parse(&self.start)
            .map_err(|_| {
                errors.push(error(
                    "start",
                    format!("\"{}\" is not a month like 2026-11.", self.start.trim()),
                ))
            })
            .ok();
        let months = match self.months.trim().parse::<u32>() {
            Ok(m) if (1..=120).contains(&m) => m,
            _ => {
                errors.push(error(
                    "months",
                    "The horizon must be a whole number of months from 1 to 120.",
                ));
                0
            }
        };
        let currency = Currency::parse(&self.currency)
            .map_err(|e| errors.push(error("currency", e.message)))
            .ok();
        let hundred = Decimal::ONE_HUNDRED;
        let big = Decimal::from(1_000_000_000i64);
        let mut pct = |field: &str, label: &str, text: &str| {
            bounded(field, label, text, hundred, 2, &mut errors)
        };
        let churn_percent = pct("churn_percent", "Churn", &self.churn_percent);
        let expansion_percent = pct("expansion_percent", "Expansion", &self.expansion_percent);
        let uplift_percent = pct("uplift_percent", "Yearly price rise", &self.uplift_percent);
        let mut num =
            |field: &str, label: &str, text: &str| bounded(field, label, text, big, 4, &mut errors);
        let projects_per_month = num(
            "projects_per_month",
            "Projects per month",
            &self.projects_per_month,
        );
        let seats_per_project = num(
            "seats_per_project",
            "Seats per project",
            &self.seats_per_project,
        );
        let price_per_seat = num("price_per_seat", "Price per seat", &self.price_per_seat);
        let cost_per_seat = num("cost_per_seat", "Cost per seat", &self.cost_per_seat);
        let fee_per_project = num("fee_per_project", "Fee per project", &self.fee_per_project);
        match (start, currency) {
            (Some(start), Some(currency)) if errors.is_empty() => Ok(Assumptions {
                start,
                months,
                currency,
                churn_percent,
                expansion_percent,
                uplift_percent,
                projects_per_month,
                seats_per_project,
                price_per_seat,
                cost_per_seat,
                fee_per_project,
                include_accepted: self.include_accepted,
                include_pipeline: self.include_pipeline,
            }),
            _ => Err(errors.into()),
        }
    }
}

impl Assumptions {
    /// The form that shows these assumptions (plain decimals, `.` as the mark).
    pub fn form(&self) -> AssumptionsForm {
        let s = |d: Decimal| d.normalize().to_string();
        AssumptionsForm {
            start: self.start.to_string(),
            months: self.months.to_string(),
            currency: self.currency.code().into(),
            churn_percent: s(self.churn_percent),
            expansion_percent: s(self.expansion_percent),
            uplift_percent: s(self.uplift_percent),
            projects_per_month: s(self.projects_per_month),
            seats_per_project: s(self.seats_per_project),
            price_per_seat: s(self.price_per_seat),
            cost_per_seat: s(self.cost_per_seat),
            fee_per_project: s(self.fee_per_project),
            include_accepted: self.include_accepted,
            include_pipeline: self.include_pipeline,
        }
    }
}

/// What the database supplies per month from month 0, in the assumptions' currency:
/// S_m, its cost, and one-time totals of accepted and weighted pipeline work.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Book {
    pub starts_mrr: Vec<Decimal>,
    pub starts_cost: Vec<Decimal>,
    pub starts_one_time: Vec<Decimal>,
    /// Licences with a term (§10), projected per renewal month.
    pub termed: Vec<crate::projection::TermedStart>,
}

impl Book {
    pub fn with_months(months: u32) -> Book {
        let zeros = vec![Decimal::ZERO; months as usize];
        Book {
            starts_mrr: zeros.clone(),
            starts_cost: zeros.clone(),
            starts_one_time: zeros,
            termed: Vec::new(),
        }
    }
}

/// One month of the report, each figure rounded to the currency from its unrounded value.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct ReportRow {
    /// m of §7: 0 for the start month.
    pub month: u32,
    /// `YYYY-MM`.
    pub period: String,
    /// "Nov 2026".
    pub label: String,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub mrr: Decimal,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub arr: Decimal,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub recurring_cost: Decimal,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub recurring_margin: Decimal,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub one_time: Decimal,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub cumulative_recurring: Decimal,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub cumulative_one_time: Decimal,
}

/// A band of the stacked MRR chart: the revenue that started in a range of months.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct Layer {
    pub label: String,
    #[serde(with = "decimal_strings")]
    #[specta(type = Vec<String>)]
    pub values: Vec<Decimal>,
}

mod decimal_strings {
    use rust_decimal::Decimal;
    use serde::Serializer;

    pub fn serialize<S: Serializer>(v: &[Decimal], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(v.iter().map(|d| d.to_string()))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct Summary {
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub end_mrr: Decimal,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub end_arr: Decimal,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub total_recurring: Decimal,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub total_recurring_margin: Decimal,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub total_one_time: Decimal,
    /// m of §7 (0 for the start month); None when recurring never overtakes.
    pub crossover_month: Option<u32>,
    pub crossover_period: Option<String>,
    /// "Recurring revenue overtakes project revenue in month 19 — May 2028".
    pub crossover_text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct Report {
    pub currency: Currency,
    pub start: String,
    pub months: u32,
    pub rows: Vec<ReportRow>,
    pub layers: Vec<Layer>,
    pub summary: Summary,
}

/// Projects the book under the assumptions and rounds it for display.
pub fn report(a: &Assumptions, book: &Book) -> Result<Report, CoreError> {
    let input = ProjectionInput {
        months: a.months,
        churn_percent: a.churn_percent,
        expansion_percent: a.expansion_percent,
        uplift_percent: a.uplift_percent,
        projects_per_month: a.projects_per_month,
        seats_per_project: a.seats_per_project,
        price_per_seat: a.price_per_seat,
        cost_per_seat: a.cost_per_seat,
        fee_per_project: a.fee_per_project,
        starts_mrr: book.starts_mrr.clone(),
        starts_cost: book.starts_cost.clone(),
        starts_one_time: book.starts_one_time.clone(),
        termed: book.termed.clone(),
    };
    let p = project(&input)?;
    let c = a.currency;
    let period = |m: u32| a.start.plus_months(m);
    let rows: Vec<ReportRow> = p
        .rows
        .iter()
        .map(|r| ReportRow {
            month: r.month,
            period: period(r.month).to_string(),
            label: period(r.month).short_name(),
            mrr: c.round(r.mrr),
            arr: c.round(r.arr()),
            recurring_cost: c.round(r.recurring_cost),
            recurring_margin: c.round(r.recurring_margin()),
            one_time: c.round(r.one_time),
            cumulative_recurring: c.round(r.cumulative_recurring),
            cumulative_one_time: c.round(r.cumulative_one_time),
        })
        .collect();
    let last = p
        .rows
        .last()
        .ok_or_else(|| CoreError::validation("months", "The horizon must be 1 to 120 months."))?;
    let total_margin: Decimal = p.rows.iter().map(|r| r.recurring_margin()).sum();
    let crossover = p.crossover_month;
    let summary = Summary {
        end_mrr: c.round(last.mrr),
        end_arr: c.round(last.arr()),
        total_recurring: c.round(last.cumulative_recurring),
        total_recurring_margin: c.round(total_margin),
        total_one_time: c.round(last.cumulative_one_time),
        crossover_month: crossover,
        crossover_period: crossover.map(|m| period(m).to_string()),
        crossover_text: crossover_text(crossover, a.start, a.months),
    };
    Ok(Report {
        currency: c,
        start: a.start.to_string(),
        months: a.months,
        layers: grouped_layers(&p.layers, a.start, c),
        rows,
        summary,
    })
}

/// The crossover in words; `month` is m of §7, said as people count (the start month is
/// month 1).
pub fn crossover_text(month: Option<u32>, start: Period, months: u32) -> String {
    match month {
        Some(m) => format!(
            "Recurring revenue overtakes project revenue in month {} — {}",
            m + 1,
            start.plus_months(m).long_name()
        ),
        None => format!(
            "Recurring revenue does not overtake project revenue within {months} month{}",
            if months == 1 { "" } else { "s" }
        ),
    }
}

/// The chart's bands: the book at the start (month 0), then each later month's new revenue;
/// over horizons longer than 13 months the later months are grouped by 12 so the legend
/// stays readable. Bands add up to the MRR of every month.
fn grouped_layers(layers: &[Vec<Decimal>], start: Period, c: Currency) -> Vec<Layer> {
    let months = layers.len();
    let group = if months <= 13 { 1 } else { 12 };
    let mut out = Vec::new();
    if let Some(first) = layers.first() {
        out.push(Layer {
            label: format!("Book at start ({})", start.short_name()),
            values: first.iter().map(|v| c.round(*v)).collect(),
        });
    }
    let mut k = 1;
    while k < months {
        let end = (k + group).min(months);
        let mut sum = vec![Decimal::ZERO; months];
        for layer in &layers[k..end] {
            for (s, v) in sum.iter_mut().zip(layer) {
                *s += *v;
            }
        }
        let first = start.plus_months(k as u32).short_name();
        let label = if end - k == 1 {
            format!("Started {first}")
        } else {
            let last = start.plus_months(end as u32 - 1).short_name();
            format!("Started {first} – {last}")
        };
        out.push(Layer {
            label,
            values: sum.iter().map(|v| c.round(*v)).collect(),
        });
        k = end;
    }
    out
}

/// The report's table as CSV: UTF-8 with a BOM (so spreadsheet programs read it as UTF-8),
/// a header, `.` as the decimal mark, CRLF line ends.
pub fn report_csv(r: &Report) -> String {
    let mut out = String::from(
        "\u{feff}month,period,mrr,arr,recurring_cost,recurring_margin,one_time,\
         cumulative_recurring,cumulative_one_time\r\n",
    );
    let f = |d: Decimal| r.currency.format_plain(d);
    for row in &r.rows {
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{}\r\n",
            row.month,
            row.period,
            f(row.mrr),
            f(row.arr),
            f(row.recurring_cost),
            f(row.recurring_margin),
            f(row.one_time),
            f(row.cumulative_recurring),
            f(row.cumulative_one_time),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> AssumptionsForm {
        AssumptionsForm {
            start: "2026-11".into(),
            months: "24".into(),
            currency: "EUR".into(),
            churn_percent: "1".into(),
            expansion_percent: "0.5".into(),
            uplift_percent: "3".into(),
            projects_per_month: "1.5".into(),
            seats_per_project: "20".into(),
            price_per_seat: "12".into(),
            cost_per_seat: "9".into(),
            fee_per_project: "4000".into(),
            include_accepted: true,
            include_pipeline: false,
        }
    }

    #[test]
    fn every_wrong_field_is_named_at_once() {
        let bad = AssumptionsForm {
            start: "Nov".into(),
            months: "121".into(),
            churn_percent: "101".into(),
            expansion_percent: "1e5".into(),
            uplift_percent: "".into(),
            price_per_seat: "12.12345".into(),
            seats_per_project: "-3".into(),
            ..form()
        };
        let e = bad.validate().unwrap_err();
        let fields: Vec<&str> = e.fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "start",
                "months",
                "churn_percent",
                "expansion_percent",
                "uplift_percent",
                "seats_per_project",
                "price_per_seat"
            ]
        );
        assert_eq!(e.fields[2].message, "Churn must be between 0 and 100.");
        assert_eq!(
            e.fields[6].message,
            "Price per seat can have at most 4 decimals."
        );
    }

    #[test]
    fn a_form_round_trips_and_accepts_a_decimal_comma() {
        let a = AssumptionsForm {
            churn_percent: "1,25".into(),
            ..form()
        }
        .validate()
        .unwrap();
        assert_eq!(a.churn_percent.to_string(), "1.25");
        assert_eq!(a.form().validate().unwrap(), a);
    }

    /// Hand-computed: a book of 1000/month with 600 cost, 10 % churn, no new business
    /// except a 5000 one-time project in month 0 and 1000 MRR starting in month 2.
    #[test]
    fn report_figures_crossover_and_layers_by_hand() {
        let a = AssumptionsForm {
            months: "4".into(),
            churn_percent: "10".into(),
            expansion_percent: "0".into(),
            uplift_percent: "0".into(),
            projects_per_month: "0".into(),
            ..form()
        }
        .validate()
        .unwrap();
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        let book = Book {
            starts_mrr: vec![d("1000"), d("0"), d("1000"), d("0")],
            starts_cost: vec![d("600"), d("0"), d("600"), d("0")],
            starts_one_time: vec![d("5000"), d("0"), d("0"), d("0")],
            ..Book::default()
        };
        let r = report(&a, &book).unwrap();
        let mrr: Vec<String> = r.rows.iter().map(|r| r.mrr.to_string()).collect();
        // 1000, 900, 810 + 1000, 1629.
        assert_eq!(mrr, ["1000.00", "900.00", "1810.00", "1629.00"]);
        assert_eq!(r.rows[3].recurring_cost.to_string(), "977.40");
        assert_eq!(r.rows[3].recurring_margin.to_string(), "651.60");
        assert_eq!(r.rows[3].cumulative_recurring.to_string(), "5339.00");
        // Cumulative recurring 5339 > 5000 first in month index 3 → "month 4", February 2027.
        assert_eq!(r.summary.crossover_month, Some(3));
        assert_eq!(
            r.summary.crossover_text,
            "Recurring revenue overtakes project revenue in month 4 — February 2027"
        );
        let labels: Vec<&str> = r.layers.iter().map(|l| l.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "Book at start (Nov 2026)",
                "Started Dec 2026",
                "Started Jan 2027",
                "Started Feb 2027"
            ]
        );
        for (m, row) in r.rows.iter().enumerate() {
            let sum: Decimal = r.layers.iter().map(|l| l.values[m]).sum();
            assert_eq!(sum, row.mrr, "layers add up in month {m}");
        }
        let csv = report_csv(&r);
        assert!(csv.starts_with("\u{feff}month,period,mrr,"));
        assert!(
            csv.contains("\r\n3,2027-02,1629.00,19548.00,977.40,651.60,0.00,5339.00,5000.00\r\n")
        );
    }

    #[test]
    fn long_horizons_group_new_business_by_year() {
        let a = AssumptionsForm {
            months: "120".into(),
            ..form()
        }
        .validate()
        .unwrap();
        let r = report(&a, &Book::with_months(120)).unwrap();
        assert_eq!(r.layers.len(), 1 + 10);
        assert_eq!(r.layers[1].label, "Started Dec 2026 – Nov 2027");
        assert_eq!(r.layers[10].label, "Started Dec 2035 – Oct 2036");
        assert_eq!(r.rows[119].period, "2036-10");
    }

    #[test]
    fn no_crossover_is_said_in_words() {
        assert_eq!(
            crossover_text(None, Period::parse("2026-11").unwrap(), 12),
            "Recurring revenue does not overtake project revenue within 12 months"
        );
    }
}
