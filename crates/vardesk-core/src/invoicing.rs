//! The forms behind invoicing: a draft invoice typed by hand, a subscription, and the lines
//! and quantities a credit note gives back. Each validates to plain values or to every
//! wrong field with a sentence, the same way in the form and in the backend.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::billing::Interval;
use crate::lines::{doc_totals, DocTotals, Line, LineKind};
use crate::money::parse_typed_decimal;
use crate::quote::LineForm;
use crate::treatment::{TaxContext, TaxTreatment};
use crate::Currency;
use crate::{CoreError, FieldError};

/// One line of a draft invoice; `id` keeps a billed line tied to its subscription period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, specta::Type)]
#[serde(default)]
pub struct DraftLineForm {
    pub id: Option<i64>,
    pub description: String,
    pub quantity: String,
    pub unit: String,
    pub unit_price: String,
    pub discount_percent: String,
    pub tax_rate_percent: String,
    /// Goods (from a catalog item that is); typed lines are services (§9).
    pub goods: bool,
}

/// A draft invoice as typed in the editor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, specta::Type)]
#[serde(default)]
pub struct DraftForm {
    pub customer_id: Option<i64>,
    pub notes: String,
    pub lines: Vec<DraftLineForm>,
}

/// A validated draft line.
#[derive(Debug, Clone, PartialEq)]
pub struct DraftLine {
    pub id: Option<i64>,
    pub line: Line,
}

/// A validated draft.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub customer_id: i64,
    pub notes: String,
    pub lines: Vec<DraftLine>,
}

impl DraftForm {
    pub fn validate(&self) -> Result<Draft, CoreError> {
        let mut errors = Vec::new();
        let customer_id = self.customer_id.filter(|id| *id > 0);
        if customer_id.is_none() {
            errors.push(field_error("customer_id", "Choose a customer."));
        }
        if self.notes.chars().count() > 2000 {
            errors.push(field_error(
                "notes",
                "The notes can be at most 2,000 characters.",
            ));
        }
        if self.lines.len() > 5000 {
            errors.push(field_error(
                "lines",
                "An invoice can have at most 5,000 lines.",
            ));
        }
        let lines: Vec<Option<DraftLine>> = self
            .lines
            .iter()
            .enumerate()
            .map(|(i, l)| {
                // The quote line's rules, with the kind fixed: an invoice line is charged once.
                let form = LineForm {
                    kind: "one_time".into(),
                    description: l.description.clone(),
                    quantity: l.quantity.clone(),
                    unit: l.unit.clone(),
                    unit_price: l.unit_price.clone(),
                    discount_percent: l.discount_percent.clone(),
                    tax_rate_percent: l.tax_rate_percent.clone(),
                    goods: l.goods,
                    ..LineForm::default()
                };
                form.validate(i, &mut errors).map(|q| DraftLine {
                    id: l.id,
                    line: q.line,
                })
            })
            .collect();
        match customer_id {
            Some(customer_id) if errors.is_empty() => Ok(Draft {
                customer_id,
                notes: self.notes.trim().to_string(),
                lines: lines.into_iter().flatten().collect(),
            }),
            _ => Err(errors.into()),
        }
    }
}

/// A draft's line amounts and totals as typed, for the editor: the customer's tax treatment
/// (§9) applied to the lines, then the document's totals (§3).
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct DraftPreview {
    pub nets: Vec<Decimal>,
    pub totals: DocTotals,
    pub tax_treatment: TaxTreatment,
}

impl Draft {
    /// What the draft adds up to for a customer billed in `currency` under `tax`.
    pub fn preview(&self, currency: Currency, tax: &TaxContext) -> Result<DraftPreview, CoreError> {
        let lines: Vec<Line> = self.lines.iter().map(|l| l.line.clone()).collect();
        let totals = doc_totals(&tax.apply(&lines), currency)?;
        Ok(DraftPreview {
            nets: totals.line_amounts.clone(),
            totals,
            tax_treatment: tax.document_treatment(&lines),
        })
    }
}

/// A subscription as typed in its form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, specta::Type)]
#[serde(default)]
pub struct SubscriptionForm {
    pub customer_id: Option<i64>,
    pub catalog_item_id: Option<i64>,
    pub description: String,
    pub quantity: String,
    pub unit: String,
    pub unit_price: String,
    pub unit_cost: String,
    pub discount_percent: String,
    pub tax_rate_percent: String,
    pub interval: String,
    pub start_date: String,
    pub end_date: String,
    /// A Microsoft licence's NCE terms (§10); an empty term is a plain subscription.
    pub term: String,
    /// The commitment's billing frequency with Microsoft (default: the interval).
    pub billing: String,
    /// A new licence's first term: "" (natural end), "month_end" or a subscription's id.
    pub coterm_with: String,
    /// Off when the licence is to end at its term's end (`None`: on).
    pub auto_renew: Option<bool>,
    pub ms_subscription_id: String,
    pub ms_product_id: String,
    pub ms_sku_id: String,
}

/// A validated subscription.
#[derive(Debug, Clone, PartialEq)]
pub struct SubscriptionData {
    pub customer_id: i64,
    pub catalog_item_id: Option<i64>,
    pub line: Line,
    pub interval: Interval,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub licence: Option<crate::nce::Licence>,
}

impl SubscriptionForm {
    pub fn validate(&self) -> Result<SubscriptionData, CoreError> {
        let mut errors = Vec::new();
        let customer_id = self.customer_id.filter(|id| *id > 0);
        if customer_id.is_none() {
            errors.push(field_error("customer_id", "Choose a customer."));
        }
        let interval = Interval::parse(self.interval.as_str());
        if interval.is_none() {
            errors.push(field_error(
                "interval",
                "Choose monthly, annual or (a three-year licence paid upfront) once per term.",
            ));
        }
        // The quote line's rules, reported under this form's own field names.
        let mut line_errors = Vec::new();
        let line = LineForm {
            kind: "monthly".into(),
            description: self.description.clone(),
            quantity: self.quantity.clone(),
            unit: self.unit.clone(),
            unit_price: self.unit_price.clone(),
            unit_cost: self.unit_cost.clone(),
            discount_percent: self.discount_percent.clone(),
            tax_rate_percent: self.tax_rate_percent.clone(),
            ..LineForm::default()
        }
        .validate(0, &mut line_errors);
        errors.extend(line_errors.into_iter().map(|e| FieldError {
            field: e.field.trim_start_matches("lines[0].").to_string(),
            message: sentence(e.message.trim_start_matches("Line 1: ")),
        }));
        if line.as_ref().is_some_and(|l| l.line.quantity.is_zero()) {
            errors.push(field_error("quantity", "The quantity must be more than 0."));
        }
        if line
            .as_ref()
            .is_some_and(|l| l.line.quantity > Decimal::from(crate::bounds::MAX_COUNT))
        {
            errors.push(field_error(
                "quantity",
                "A subscription has at most 1,000,000 seats.",
            ));
        }
        let start = parse_date(
            &self.start_date,
            "start_date",
            "the start date",
            &mut errors,
        );
        let end = if self.end_date.trim().is_empty() {
            Some(None)
        } else {
            parse_date(&self.end_date, "end_date", "the end date", &mut errors).map(Some)
        };
        if let (Some(s), Some(Some(e))) = (start, end) {
            if e < s {
                errors.push(field_error(
                    "end_date",
                    "A subscription cannot end before it starts.",
                ));
            }
        }
        let licence = crate::nce::validate_licence(
            &self.term,
            &self.billing,
            &self.interval,
            &self.coterm_with,
            self.auto_renew.unwrap_or(true),
            [
                &self.ms_subscription_id,
                &self.ms_product_id,
                &self.ms_sku_id,
            ],
            &mut errors,
        );
        // §10: once per term is a three-year term paid upfront's billing.
        if interval == Some(Interval::Triennial)
            && licence
                .as_ref()
                .is_none_or(|l| l.term != crate::nce::Term::P3Y)
        {
            errors.push(field_error(
                "interval",
                "Once per term is for a three-year Microsoft licence (P3Y) paid upfront.",
            ));
        }
        match (customer_id, line, interval, start, end) {
            (Some(customer_id), Some(line), Some(interval), Some(start_date), Some(end_date))
                if errors.is_empty() =>
            {
                Ok(SubscriptionData {
                    customer_id,
                    catalog_item_id: self.catalog_item_id,
                    line: Line {
                        kind: LineKind::Monthly,
                        ..line.line
                    },
                    interval,
                    start_date,
                    end_date,
                    licence,
                })
            }
            _ => Err(errors.into()),
        }
    }
}

/// How much of one invoice line a credit note gives back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, specta::Type)]
#[serde(default)]
pub struct CreditLineForm {
    pub line_id: i64,
    pub quantity: String,
}

/// Checks the quantities of a partial credit: each more than 0, at most 4 decimals and at
/// most what is left to credit on its line (`remaining`, by line id). Lines left at 0 or
/// blank are skipped; at least one line must be credited.
pub fn validate_credit(
    lines: &[CreditLineForm],
    remaining: &[(i64, Decimal)],
) -> Result<Vec<(i64, Decimal)>, CoreError> {
    let mut errors = Vec::new();
    let mut chosen = Vec::new();
    for (i, form) in lines.iter().enumerate() {
        let field = format!("lines[{i}].quantity");
        let text = form.quantity.trim();
        if text.is_empty() {
            continue;
        }
        let Some(left) = remaining
            .iter()
            .find(|(id, _)| *id == form.line_id)
            .map(|(_, q)| *q)
        else {
            errors.push(field_error(&field, "This line is not on the invoice."));
            continue;
        };
        match parse_typed_decimal(&field, text) {
            Ok(q) if q.is_zero() => {}
            Ok(q) if q > Decimal::ZERO && q.normalize().scale() <= 4 && q <= left => {
                chosen.push((form.line_id, q.normalize()))
            }
            _ => errors.push(field_error(
                &field,
                &format!(
                    "Line {}: credit a quantity from 0 to {} (at most 4 decimals).",
                    i + 1,
                    left.normalize()
                ),
            )),
        }
    }
    if errors.is_empty() && chosen.is_empty() {
        errors.push(field_error("lines", "Choose at least one line to credit."));
    }
    if errors.is_empty() {
        Ok(chosen)
    } else {
        Err(errors.into())
    }
}

fn field_error(field: &str, message: &str) -> FieldError {
    FieldError {
        field: field.into(),
        message: message.into(),
    }
}

/// "a description is required." → "A description is required."
fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn parse_date(
    text: &str,
    field: &str,
    label: &str,
    errors: &mut Vec<FieldError>,
) -> Option<NaiveDate> {
    let parsed = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok();
    if parsed.is_none() {
        errors.push(field_error(field, &format!("Enter {label} as YYYY-MM-DD.")));
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(q: &str, price: &str) -> DraftLineForm {
        DraftLineForm {
            description: "Migration work".into(),
            quantity: q.into(),
            unit_price: price.into(),
            tax_rate_percent: "19".into(),
            ..DraftLineForm::default()
        }
    }

    #[test]
    fn a_draft_names_every_wrong_field() {
        let form = DraftForm {
            customer_id: None,
            notes: String::new(),
            lines: vec![line("2", "100"), line("-1", "1e5")],
        };
        let err = form.validate().unwrap_err();
        let fields: Vec<_> = err.fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            ["customer_id", "lines[1].quantity", "lines[1].unit_price"]
        );
        let ok = DraftForm {
            customer_id: Some(3),
            ..form
        };
        assert!(ok.validate().is_err());
        let good = DraftForm {
            customer_id: Some(3),
            notes: " Thanks ".into(),
            lines: vec![line("2", "100.50")],
        }
        .validate()
        .unwrap();
        assert_eq!(good.notes, "Thanks");
        assert_eq!(good.lines[0].line.unit_price, Decimal::new(10050, 2));
    }

    #[test]
    fn a_subscription_needs_dates_in_order_and_seats() {
        let mut form = SubscriptionForm {
            customer_id: Some(1),
            description: "Microsoft 365 Business Standard".into(),
            quantity: "25".into(),
            unit_price: "12.50".into(),
            tax_rate_percent: "19".into(),
            interval: "monthly".into(),
            start_date: "2026-11-15".into(),
            ..SubscriptionForm::default()
        };
        let ok = form.validate().unwrap();
        assert_eq!(ok.end_date, None);
        assert_eq!(ok.interval, Interval::Monthly);
        form.end_date = "2026-11-01".into();
        form.quantity = "0".into();
        form.interval = "weekly".into();
        let err = form.validate().unwrap_err();
        let fields: Vec<_> = err.fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["interval", "quantity", "end_date"]);
        form.start_date = "15.11.2026".into();
        let err = form.validate().unwrap_err();
        assert!(err.fields.iter().any(|f| f.field == "start_date"));
    }

    #[test]
    fn a_credit_takes_no_more_than_is_left() {
        let left = [(10, Decimal::from(3)), (11, Decimal::ONE)];
        let form = |q10: &str, q11: &str| {
            vec![
                CreditLineForm {
                    line_id: 10,
                    quantity: q10.into(),
                },
                CreditLineForm {
                    line_id: 11,
                    quantity: q11.into(),
                },
            ]
        };
        assert_eq!(
            validate_credit(&form("1.5", ""), &left).unwrap(),
            vec![(10, Decimal::new(15, 1))]
        );
        assert_eq!(
            validate_credit(&form("", "0"), &left).unwrap_err().fields[0].field,
            "lines"
        );
        let err = validate_credit(&form("4", "-1"), &left).unwrap_err();
        assert_eq!(err.fields.len(), 2);
        assert!(err.message.contains("from 0 to 3"), "{}", err.message);
        let stray = [CreditLineForm {
            line_id: 99,
            quantity: "1".into(),
        }];
        assert!(validate_credit(&stray, &left).is_err());
    }
}

#[cfg(test)]
mod subscription_tests {
    use super::*;

    #[test]
    fn once_per_term_is_for_a_three_year_licence_only() {
        let mut form = SubscriptionForm {
            customer_id: Some(1),
            description: "Microsoft 365 Business Premium".into(),
            quantity: "5".into(),
            unit_price: "741.60".into(),
            tax_rate_percent: "19".into(),
            interval: "triennial".into(),
            start_date: "2026-11-15".into(),
            ..SubscriptionForm::default()
        };
        let err = form.validate().unwrap_err();
        assert_eq!(err.fields[0].field, "interval");
        form.term = "P3Y".into();
        let ok = form.validate().unwrap();
        assert_eq!(ok.interval, Interval::Triennial);
        assert_eq!(
            ok.licence.unwrap().billing,
            crate::nce::Billing::Upfront,
            "upfront by default"
        );
        form.term = "P1Y".into();
        assert!(form.validate().is_err());
    }
}
