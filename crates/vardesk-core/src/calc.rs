//! `vardesk calc <op>`: JSON in, JSON out, for every op of the fixtures' README.
//! Each op is a thin mapping onto the engine function the app uses.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::{json, Map, Value};

use crate::billing::{bill_line, Period, SubscriptionTerms};
use crate::error::CoreError;
use crate::estimate::{estimate, Coefficients, EstimateInputs};
use crate::inventory::parse_inventory;
use crate::lines::{doc_totals, quote_totals, Line, QuoteTerms};
use crate::money::{plain, Currency};
use crate::numbering::format_number;
use crate::projection::{project, ProjectionInput};

pub const OPS: [&str; 7] = [
    "doc_totals",
    "quote_totals",
    "estimate",
    "bill_line",
    "projection",
    "inventory",
    "numbering",
];

fn parse<T: for<'de> Deserialize<'de>>(input: &Value) -> Result<T, CoreError> {
    T::deserialize(input).map_err(|e| {
        let why = e.to_string();
        let why = why.trim_end_matches('.');
        CoreError::validation("input", format!("The input is not valid: {why}."))
    })
}

fn currency_of(input: &Value) -> Result<Currency, CoreError> {
    let code = input
        .get("currency")
        .and_then(Value::as_str)
        .ok_or_else(|| {
            CoreError::validation(
                "currency",
                "The input needs a \"currency\" such as \"EUR\".",
            )
        })?;
    Currency::parse(code)
}

/// A money amount with exactly the currency's decimals.
fn money(currency: Currency, amount: Decimal) -> Value {
    Value::String(currency.format_plain(amount))
}

/// Reads a file an op names (`inventory`'s `path`): the caller's, as core does no I/O.
pub type ReadFile<'a> = &'a dyn Fn(&str) -> Result<Vec<u8>, String>;

/// Runs one op on its JSON input.
pub fn run(op: &str, input: &Value, read_file: ReadFile<'_>) -> Result<Value, CoreError> {
    match op {
        "doc_totals" => op_doc_totals(input),
        "quote_totals" => op_quote_totals(input),
        "estimate" => op_estimate(input),
        "bill_line" => op_bill_line(input),
        "projection" => op_projection(input),
        "inventory" => op_inventory(input, read_file),
        "numbering" => op_numbering(input),
        _ => Err(CoreError::validation(
            "op",
            format!("Unknown op \"{op}\"; the ops are {}.", OPS.join(", ")),
        )),
    }
}

fn op_doc_totals(input: &Value) -> Result<Value, CoreError> {
    #[derive(Deserialize)]
    struct In {
        lines: Vec<Line>,
    }
    let currency = currency_of(input)?;
    let t = doc_totals(&parse::<In>(input)?.lines, currency)?;
    let m = |d| money(currency, d);
    Ok(json!({
        "subtotal": m(t.subtotal),
        "taxes": t.taxes.iter().map(|r| json!({
            "rate_percent": plain(r.rate_percent),
            "base": m(r.base),
            "tax": m(r.tax),
        })).collect::<Vec<_>>(),
        "tax_total": m(t.tax_total),
        "total": m(t.total),
        "line_amounts": t.line_amounts.iter().map(|a| m(*a)).collect::<Vec<_>>(),
    }))
}

fn op_quote_totals(input: &Value) -> Result<Value, CoreError> {
    #[derive(Deserialize)]
    struct In {
        lines: Vec<Line>,
        term_months: Option<u32>,
        horizon_months: Option<u32>,
        #[serde(default, with = "crate::money::serde_str::option")]
        churn_percent: Option<Decimal>,
    }
    let currency = currency_of(input)?;
    let i: In = parse(input)?;
    let defaults = QuoteTerms::default();
    let terms = QuoteTerms {
        term_months: i.term_months.unwrap_or(defaults.term_months),
        horizon_months: i.horizon_months.unwrap_or(defaults.horizon_months),
        churn_percent: i.churn_percent.unwrap_or(defaults.churn_percent),
    };
    let t = quote_totals(&i.lines, terms, currency)?;
    let m = |d| money(currency, d);
    let mut out = Map::new();
    for (name, part) in [
        ("one_time", &t.one_time),
        ("monthly", &t.monthly),
        ("annual", &t.annual),
    ] {
        out.insert(name.into(), m(part.net));
        out.insert(format!("{name}_margin"), m(part.margin));
        out.insert(format!("{name}_tax"), m(part.tax_total));
        if let Some(p) = part.margin_percent {
            out.insert(
                format!("{name}_margin_percent"),
                Value::String(format!("{p:.1}")),
            );
        }
    }
    out.insert("first_year".into(), m(t.first_year));
    out.insert("contract_value".into(), m(t.contract_value));
    out.insert("annuity_value".into(), m(t.annuity_value));
    Ok(Value::Object(out))
}

fn op_estimate(input: &Value) -> Result<Value, CoreError> {
    #[derive(Deserialize)]
    struct In {
        inputs: EstimateInputs,
        #[serde(default)]
        coefficients: Option<Value>,
    }
    let currency = currency_of(input)?;
    let i: In = parse(input)?;
    let coefficients = match &i.coefficients {
        Some(overrides) => Coefficients::with_overrides(overrides)?,
        None => Coefficients::default(),
    };
    let e = estimate(&i.inputs, &coefficients, currency)?;
    let m = |d| money(currency, d);
    Ok(json!({
        "lines": e.lines.iter().map(|l| json!({
            "description": l.description,
            "quantity": l.quantity.to_string(),
            "unit": l.unit,
            "unit_price": l.unit_price.to_string(),
            "unit_cost": l.unit_cost.to_string(),
            "amount": m(l.amount),
        })).collect::<Vec<_>>(),
        "total_hours": e.total_hours.to_string(),
        "data_gb": plain(e.data_gb),
        "migration_days": e.migration_days,
        "labour_total": m(e.labour_total),
        "one_time_total": m(e.one_time_total),
        "warnings": e.warnings.iter().map(|w| w.code).collect::<Vec<_>>(),
        "risk_flags": e.warnings,
    }))
}

fn op_bill_line(input: &Value) -> Result<Value, CoreError> {
    #[derive(Deserialize)]
    struct In {
        period: String,
        subscription: SubscriptionTerms,
    }
    let currency = currency_of(input)?;
    let i: In = parse(input)?;
    let line = bill_line(&i.subscription, Period::parse(&i.period)?, currency)?;
    let mut out = json!({
        "due": line.due,
        "amount": line.amount.map(|a| money(currency, a)),
        "days_in_month": line.days_in_month,
        "period_label": line.period_label,
    });
    if let Some(days) = line.active_days {
        out["active_days"] = json!(days);
    }
    Ok(out)
}

fn op_projection(input: &Value) -> Result<Value, CoreError> {
    let currency = currency_of(input)?;
    let p = project(&parse::<ProjectionInput>(input)?)?;
    let m = |d| money(currency, d);
    let rows: Vec<Value> = p
        .rows
        .iter()
        .map(|r| {
            json!({
                "month": r.month,
                "mrr": m(r.mrr),
                "arr": m(r.arr()),
                "recurring_cost": m(r.recurring_cost),
                "recurring_margin": m(r.recurring_margin()),
                "one_time": m(r.one_time),
                "cumulative_recurring": m(r.cumulative_recurring),
                "cumulative_one_time": m(r.cumulative_one_time),
            })
        })
        .collect();
    Ok(json!({ "rows": rows, "crossover_month": p.crossover_month }))
}

fn op_inventory(input: &Value, read_file: ReadFile<'_>) -> Result<Value, CoreError> {
    #[derive(Deserialize)]
    struct In {
        path: String,
    }
    let path = parse::<In>(input)?.path;
    let bytes = read_file(&path).map_err(|e| {
        CoreError::validation("path", format!("The file \"{path}\" cannot be read: {e}."))
    })?;
    let inv = parse_inventory(&bytes)?;
    Ok(json!({
        "user_mailboxes": inv.user_mailboxes,
        "shared_mailboxes": inv.shared_mailboxes,
        "mailbox_gb": format!("{:.2}", inv.mailbox_gb),
        "archive_gb": format!("{:.2}", inv.archive_gb),
        "rows_read": inv.rows_read,
        "errors": inv.errors,
        "warnings": inv.warnings.iter().map(|w| json!({
            "code": w.code, "line": w.line, "severity": w.severity, "message": w.message,
        })).collect::<Vec<_>>(),
    }))
}

fn op_numbering(input: &Value) -> Result<Value, CoreError> {
    #[derive(Deserialize)]
    struct In {
        template: String,
        issue_date: NaiveDate,
        seq: u64,
    }
    let i: In = parse(input)?;
    Ok(json!({ "number": format_number(&i.template, i.issue_date, i.seq) }))
}
