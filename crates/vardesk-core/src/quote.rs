//! Quotes as the builder edits them: the form (text fields), its validation, and the
//! evaluation that merges the live estimate into the lines and prices everything (§3, §4).
//! The UI shows what `evaluate` returns; it never computes a figure itself.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::billing::Period;
use crate::customer::Environment;
use crate::error::FieldError;
use crate::estimate::{
    estimate, Coefficients, Complexity, Estimate, EstimateInputs, RiskFlag, Severity, Source,
    SourceVersion,
};
use crate::lines::{quote_totals, Line, LineKind, QuoteTerms, QuoteTotals};
use crate::money::{parse_typed_decimal, Currency};
use crate::treatment::{TaxContext, TaxTreatment};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum QuoteStatus {
    Draft,
    Sent,
    Accepted,
    Declined,
    /// A sent quote that was revised into a newer version.
    Superseded,
}

impl QuoteStatus {
    pub const ALL: [QuoteStatus; 5] = [
        QuoteStatus::Draft,
        QuoteStatus::Sent,
        QuoteStatus::Accepted,
        QuoteStatus::Declined,
        QuoteStatus::Superseded,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            QuoteStatus::Draft => "draft",
            QuoteStatus::Sent => "sent",
            QuoteStatus::Accepted => "accepted",
            QuoteStatus::Declined => "declined",
            QuoteStatus::Superseded => "superseded",
        }
    }

    pub fn parse(text: &str) -> Option<QuoteStatus> {
        QuoteStatus::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// The status a user sees: a sent quote past its validity is `expired`.
    pub fn shown(self, valid_until: NaiveDate, today: NaiveDate) -> &'static str {
        if self == QuoteStatus::Sent && valid_until < today {
            "expired"
        } else {
            self.as_str()
        }
    }
}

/// Where a quote line came from: the estimator regenerates its own lines on every change;
/// catalog and manual lines stay as the user left them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum LineSource {
    Estimate,
    Catalog,
    #[default]
    Manual,
}

impl LineSource {
    pub fn as_str(self) -> &'static str {
        match self {
            LineSource::Estimate => "estimate",
            LineSource::Catalog => "catalog",
            LineSource::Manual => "manual",
        }
    }

    pub fn parse(text: &str) -> LineSource {
        match text {
            "estimate" => LineSource::Estimate,
            "catalog" => LineSource::Catalog,
            _ => LineSource::Manual,
        }
    }
}

pub fn kind_str(kind: LineKind) -> &'static str {
    match kind {
        LineKind::OneTime => "one_time",
        LineKind::Monthly => "monthly",
        LineKind::Annual => "annual",
    }
}

pub fn parse_kind(text: &str) -> Option<LineKind> {
    match text {
        "one_time" => Some(LineKind::OneTime),
        "monthly" => Some(LineKind::Monthly),
        "annual" => Some(LineKind::Annual),
        _ => None,
    }
}

/// A line of a quote with its origin.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct QuoteLine {
    #[serde(flatten)]
    pub line: Line,
    pub source: LineSource,
    pub catalog_item_id: Option<i64>,
}

/// A line as typed in the builder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, specta::Type)]
#[serde(default)]
pub struct LineForm {
    pub kind: String,
    pub source: String,
    pub description: String,
    pub quantity: String,
    pub unit: String,
    pub unit_price: String,
    pub unit_cost: String,
    pub discount_percent: String,
    pub tax_rate_percent: String,
    pub catalog_item_id: Option<i64>,
    /// Goods (from a catalog item that is); typed lines are services (§9).
    #[serde(default)]
    pub goods: bool,
}

impl LineForm {
    pub fn from_line(l: &QuoteLine) -> LineForm {
        let text = |d: Decimal| d.normalize().to_string();
        LineForm {
            kind: kind_str(l.line.kind).into(),
            source: l.source.as_str().into(),
            description: l.line.description.clone(),
            quantity: text(l.line.quantity),
            unit: l.line.unit.clone(),
            unit_price: text(l.line.unit_price),
            unit_cost: text(l.line.unit_cost.unwrap_or_default()),
            discount_percent: text(l.line.discount_percent.unwrap_or_default()),
            tax_rate_percent: text(l.line.tax_rate_percent.unwrap_or_default()),
            catalog_item_id: l.catalog_item_id,
            goods: l.line.goods,
        }
    }

    /// Validates one line; `index` is 0-based and names the fields (`lines[2].quantity`).
    pub fn validate(&self, index: usize, errors: &mut Vec<FieldError>) -> Option<QuoteLine> {
        let before = errors.len();
        let field = |name: &str| format!("lines[{index}].{name}");
        let row = index + 1;
        let mut fail = |name: &str, message: String| {
            errors.push(FieldError {
                field: field(name),
                message: format!("Line {row}: {message}"),
            });
        };
        let kind = parse_kind(&self.kind);
        if kind.is_none() {
            fail("kind", "choose one-time, monthly or annual.".into());
        }
        let description = self.description.trim();
        if description.is_empty() || description.chars().count() > 500 {
            fail(
                "description",
                "a description is required (at most 500 characters).".into(),
            );
        }
        let mut number = |name: &str, label: &str, text: &str, max_scale: u32, max: Decimal| {
            let t = text.trim();
            if t.is_empty() {
                return Some(Decimal::ZERO);
            }
            match parse_typed_decimal(name, t) {
                Ok(v) if v >= Decimal::ZERO && v <= max && v.normalize().scale() <= max_scale => {
                    Some(v.normalize())
                }
                _ => {
                    fail(
                        name,
                        format!(
                            "{label} \"{t}\" must be a number from 0 to {max} with at most \
                             {max_scale} decimals."
                        ),
                    );
                    None
                }
            }
        };
        let billion = Decimal::from(1_000_000_000i64);
        let trillion = Decimal::from(1_000_000_000_000i64);
        let quantity = number("quantity", "the quantity", &self.quantity, 4, billion);
        let unit_price = number(
            "unit_price",
            "the unit price",
            &self.unit_price,
            4,
            trillion,
        );
        let unit_cost = number("unit_cost", "the unit cost", &self.unit_cost, 4, trillion);
        let discount = number(
            "discount_percent",
            "the discount",
            &self.discount_percent,
            2,
            Decimal::ONE_HUNDRED,
        );
        let tax = number(
            "tax_rate_percent",
            "the tax rate",
            &self.tax_rate_percent,
            2,
            Decimal::ONE_HUNDRED,
        );
        if errors.len() > before {
            return None;
        }
        Some(QuoteLine {
            line: Line {
                description: description.to_string(),
                quantity: quantity?,
                unit: self.unit.trim().to_string(),
                unit_price: unit_price?,
                unit_cost,
                discount_percent: discount,
                tax_rate_percent: tax,
                kind: kind?,
                goods: self.goods,
                tax_category: None,
            },
            source: LineSource::parse(&self.source),
            catalog_item_id: self.catalog_item_id,
        })
    }
}

/// The estimator's inputs as typed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, specta::Type)]
#[serde(default)]
pub struct EstimatorForm {
    pub source: String,
    /// Exchange version (`2010` … `2019`, `se`), empty when unknown.
    pub source_version: String,
    pub mailboxes: String,
    pub shared_mailboxes: String,
    pub mailbox_gb: String,
    pub archive_gb: String,
    pub public_folder_gb: String,
    pub file_gb: String,
    pub pcs: String,
    pub phones: String,
    pub sites: String,
    pub users_to_train: String,
    pub complexity: String,
}

impl EstimatorForm {
    /// Filled from what the customer record knows about its environment.
    pub fn from_environment(e: &Environment) -> EstimatorForm {
        let count = |v: Option<u32>| v.unwrap_or(0).to_string();
        let size = |v: Option<Decimal>| v.unwrap_or_default().normalize().to_string();
        EstimatorForm {
            source: e
                .mail_platform
                .unwrap_or(Source::ExchangeHybrid)
                .as_str()
                .into(),
            source_version: String::new(),
            mailboxes: count(e.mailboxes),
            shared_mailboxes: count(e.shared_mailboxes),
            mailbox_gb: size(e.mailbox_gb),
            archive_gb: size(e.archive_gb),
            public_folder_gb: size(e.public_folder_gb),
            file_gb: size(e.file_gb),
            pcs: count(e.pcs),
            phones: count(e.phones),
            sites: e.sites.filter(|s| *s > 0).unwrap_or(1).to_string(),
            users_to_train: count(e.mailboxes),
            complexity: "medium".into(),
        }
    }

    pub fn from_inputs(i: &EstimateInputs) -> EstimatorForm {
        let size = |v: Decimal| v.normalize().to_string();
        EstimatorForm {
            source: i.source.as_str().into(),
            source_version: i
                .source_version
                .map(|v| v.as_str().to_string())
                .unwrap_or_default(),
            mailboxes: i.mailboxes.to_string(),
            shared_mailboxes: i.shared_mailboxes.to_string(),
            mailbox_gb: size(i.mailbox_gb),
            archive_gb: size(i.archive_gb),
            public_folder_gb: size(i.public_folder_gb),
            file_gb: size(i.file_gb),
            pcs: i.pcs.to_string(),
            phones: i.phones.to_string(),
            sites: i.sites.to_string(),
            users_to_train: i.users_to_train.to_string(),
            complexity: match i.complexity {
                Complexity::Low => "low",
                Complexity::Medium => "medium",
                Complexity::High => "high",
            }
            .into(),
        }
    }

    pub fn validate(&self, errors: &mut Vec<FieldError>) -> Option<EstimateInputs> {
        let before = errors.len();
        let mut fail = |name: &str, message: String| {
            errors.push(FieldError {
                field: format!("estimator.{name}"),
                message,
            });
        };
        let source = Source::parse(&self.source);
        if source.is_none() {
            fail(
                "source",
                "Choose the mail platform the customer migrates from.".into(),
            );
        }
        let source_version = match self.source_version.trim() {
            "" => None,
            text => {
                let v = SourceVersion::parse(text);
                if v.is_none() {
                    fail(
                        "source_version",
                        "Choose the Exchange version: 2010, 2013, 2016, 2019 or Subscription \
                         Edition (or leave it empty)."
                            .into(),
                    );
                }
                v
            }
        };
        let complexity = match self.complexity.as_str() {
            "low" => Some(Complexity::Low),
            "medium" => Some(Complexity::Medium),
            "high" => Some(Complexity::High),
            _ => {
                fail(
                    "complexity",
                    "Choose low, medium or high complexity.".into(),
                );
                None
            }
        };
        let mut count = |name: &str, label: &str, text: &str, min: u32| -> u32 {
            crate::bounds::count(label, text, min).unwrap_or_else(|e| {
                fail(name, e);
                0
            })
        };
        let mailboxes = count("mailboxes", "User mailboxes", &self.mailboxes, 0);
        let shared_mailboxes = count(
            "shared_mailboxes",
            "Shared mailboxes",
            &self.shared_mailboxes,
            0,
        );
        let pcs = count("pcs", "PCs", &self.pcs, 0);
        let phones = count("phones", "Phones", &self.phones, 0);
        let sites = count("sites", "Sites", &self.sites, 1);
        let users_to_train = count("users_to_train", "Users to train", &self.users_to_train, 0);
        let mut size = |name: &str, label: &str, text: &str| -> Decimal {
            let t = text.trim();
            match parse_typed_decimal(name, if t.is_empty() { "0" } else { t }) {
                Ok(v) if v >= Decimal::ZERO && v < Decimal::from(1_000_000_000) => v.normalize(),
                _ => {
                    errors.push(FieldError {
                        field: format!("estimator.{name}"),
                        message: format!("{label} \"{t}\" must be a number of GB, 0 or more."),
                    });
                    Decimal::ZERO
                }
            }
        };
        let inputs = EstimateInputs {
            source: source.unwrap_or(Source::Other),
            source_version,
            mailboxes,
            shared_mailboxes,
            mailbox_gb: size("mailbox_gb", "Mailbox data", &self.mailbox_gb),
            archive_gb: size("archive_gb", "Archive data", &self.archive_gb),
            public_folder_gb: size(
                "public_folder_gb",
                "Public folder data",
                &self.public_folder_gb,
            ),
            file_gb: size("file_gb", "File data", &self.file_gb),
            pcs,
            phones,
            sites,
            users_to_train,
            complexity: complexity.unwrap_or_default(),
        };
        (errors.len() == before).then_some(inputs)
    }
}

/// The whole quote as the builder holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(default)]
pub struct QuoteForm {
    pub customer_id: Option<i64>,
    pub title: String,
    pub currency: String,
    pub quote_date: String,
    pub valid_until: String,
    pub term_months: String,
    pub win_probability_percent: String,
    /// `YYYY-MM`.
    pub expected_start: String,
    pub use_estimator: bool,
    pub estimator: EstimatorForm,
    pub coefficients: Coefficients,
    pub lines: Vec<LineForm>,
    pub notes: String,
    pub terms: String,
    /// The risk flags of the mailbox inventory the estimate was filled from, kept with the
    /// quote so they show again when it is reopened (the file itself is not kept).
    pub inventory_flags: Vec<SavedFlag>,
}

impl Default for QuoteForm {
    fn default() -> Self {
        QuoteForm {
            customer_id: None,
            title: String::new(),
            currency: String::new(),
            quote_date: String::new(),
            valid_until: String::new(),
            term_months: "36".into(),
            win_probability_percent: "50".into(),
            expected_start: String::new(),
            use_estimator: true,
            estimator: EstimatorForm::default(),
            coefficients: Coefficients::default(),
            lines: Vec::new(),
            notes: String::new(),
            terms: String::new(),
            inventory_flags: Vec::new(),
        }
    }
}

/// A validated quote, ready to store.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct QuoteData {
    pub customer_id: i64,
    pub title: String,
    pub currency: Currency,
    pub quote_date: NaiveDate,
    pub valid_until: NaiveDate,
    pub term_months: u32,
    pub win_probability_percent: Decimal,
    pub expected_start: NaiveDate,
    pub estimator: Option<EstimateInputs>,
    pub coefficients: Coefficients,
    pub lines: Vec<QuoteLine>,
    pub notes: String,
    pub terms: String,
    /// The risk flags of the mailbox inventory the estimate was filled from, kept with the
    /// quote so they show again when it is reopened (the file itself is not kept).
    pub inventory_flags: Vec<SavedFlag>,
}

/// A risk flag as kept with a quote: the estimator's `RiskFlag` as stored text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, specta::Type)]
#[serde(default)]
pub struct SavedFlag {
    pub code: String,
    pub severity: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
}

/// What the quote's figures depend on besides the form.
#[derive(Debug, Clone, PartialEq)]
pub struct QuoteContext {
    pub default_tax_rate_percent: Decimal,
    pub churn_percent: Decimal,
    /// How the quote's customer is taxed (§9); `None` before a customer is chosen.
    pub tax: Option<TaxContext>,
    /// The customer's document language: the estimate's lines are written in it.
    pub language: String,
    /// The step estimated hours are rounded to on the quote (Settings; 0.25 h by default).
    pub hours_increment: Decimal,
    /// The catalog's items by id: name and the currencies each has a price in. A line taken
    /// from an item needs the item's price in the quote's currency.
    pub catalog_currencies: BTreeMap<i64, (String, Vec<Currency>)>,
}

/// A line with its computed amounts, for the builder's table.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct PricedLine {
    #[serde(flatten)]
    pub line: QuoteLine,
    pub net: Decimal,
    pub cost: Decimal,
}

/// One row of the builder's line table: the line as (re)typed and its net when valid.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct LineRow {
    pub form: LineForm,
    pub net: Option<Decimal>,
}

/// Everything the builder shows for one state of the form.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct QuoteEvaluation {
    pub errors: Vec<FieldError>,
    pub estimate: Option<Estimate>,
    /// The form's lines after the estimate was merged in; the builder adopts them.
    pub rows: Vec<LineRow>,
    pub lines: Vec<PricedLine>,
    pub totals: Option<QuoteTotals>,
    /// The customer's treatment as decided for these lines (shown beside the totals).
    pub tax_treatment: Option<TaxTreatment>,
    #[serde(skip)]
    pub data: Option<QuoteData>,
}

fn date(field: &str, label: &str, text: &str, errors: &mut Vec<FieldError>) -> Option<NaiveDate> {
    let t = text.trim();
    NaiveDate::parse_from_str(t, "%Y-%m-%d").ok().or_else(|| {
        errors.push(FieldError {
            field: field.into(),
            message: format!("{label} \"{t}\" must be a date like 2026-12-31."),
        });
        None
    })
}

/// §4.2: recurring seat lines that cover some but not all user mailboxes.
fn licences_below_mailboxes(
    lines: &[QuoteLine],
    inputs: Option<&EstimateInputs>,
) -> Option<RiskFlag> {
    let mailboxes = Decimal::from(inputs?.mailboxes);
    let per_seat = |unit: &str| {
        let u = unit.trim().to_lowercase();
        ["seat", "user", "licence", "license"]
            .iter()
            .any(|p| u.starts_with(p))
    };
    let seats: Decimal = lines
        .iter()
        .filter(|l| l.line.kind != LineKind::OneTime && per_seat(&l.line.unit))
        .map(|l| l.line.quantity)
        .sum();
    (seats > Decimal::ZERO && seats < mailboxes).then(|| RiskFlag {
        code: "licences_below_mailboxes",
        severity: Severity::Warning,
        message: format!(
            "The quote licenses {} seats for {} user mailboxes: each user mailbox needs a \
             licence.",
            seats.normalize(),
            mailboxes
        ),
        line: None,
    })
}

/// The estimate's lines as quote lines (one-time; tax at the default rate), the hours of each
/// phase rounded to `hours_increment` (midpoint away from zero): the customer reads "17.75 h",
/// not the estimate's "17.67", and quantity × rate is the line's amount.
pub fn estimate_lines(
    e: &Estimate,
    tax_rate: Decimal,
    language: &str,
    hours_increment: Decimal,
) -> Vec<QuoteLine> {
    let texts = crate::i18n::texts(language);
    e.lines
        .iter()
        .map(|l| QuoteLine {
            line: Line {
                // The phases print on the customer's quote: in its language.
                description: match crate::estimate::PHASES
                    .iter()
                    .position(|p| *p == l.description)
                {
                    Some(i) => texts.get(&format!("estimate.{}", i + 1)).to_string(),
                    None if l.description == crate::estimate::LICENCE_LINE => {
                        texts.get("estimate.licences").to_string()
                    }
                    None => l.description.clone(),
                },
                quantity: if l.description == crate::estimate::LICENCE_LINE {
                    l.quantity
                } else {
                    round_hours(l.quantity, hours_increment)
                },
                unit: l.unit.clone(),
                unit_price: l.unit_price,
                unit_cost: Some(l.unit_cost),
                discount_percent: None,
                tax_rate_percent: Some(tax_rate),
                kind: LineKind::OneTime,
                goods: false,
                tax_category: None,
            },
            source: LineSource::Estimate,
            catalog_item_id: None,
        })
        // A phase rounded to no hours has nothing to say on the customer's quote.
        .filter(|l| l.line.quantity > Decimal::ZERO)
        .collect()
}

/// `hours` to the nearest multiple of `step` (midpoint away from zero); a step of 0 or less
/// leaves them as they are.
pub fn round_hours(hours: Decimal, step: Decimal) -> Decimal {
    if step <= Decimal::ZERO {
        return hours;
    }
    (crate::money::round_dp(hours / step, 0) * step).normalize()
}

/// Each line's net and cost, and the quote's totals (§3) with the annuity over 60 months,
/// taxed as the customer is (§9: reverse charge and exports carry 0 %).
pub fn price_lines(
    lines: &[QuoteLine],
    currency: Currency,
    term_months: u32,
    churn_percent: Decimal,
    tax: Option<&TaxContext>,
) -> (Vec<PricedLine>, Option<QuoteTotals>) {
    let priced = lines
        .iter()
        .map(|l| PricedLine {
            net: l.line.net(currency),
            cost: l.line.cost(currency),
            line: l.clone(),
        })
        .collect();
    let terms = QuoteTerms {
        term_months,
        horizon_months: 60,
        churn_percent,
    };
    let plain: Vec<Line> = lines.iter().map(|l| l.line.clone()).collect();
    let taxed = match tax {
        Some(tax) => tax.apply(&plain),
        None => plain,
    };
    (priced, quote_totals(&taxed, terms, currency).ok())
}

/// The treatment a quote's customer gets for these lines, as shown beside the totals.
pub fn treatment_of(lines: &[QuoteLine], tax: Option<&TaxContext>) -> Option<TaxTreatment> {
    let plain: Vec<Line> = lines.iter().map(|l| l.line.clone()).collect();
    tax.map(|t| t.document_treatment(&plain))
}

/// Validates the form, runs the estimator, puts its lines where the old estimate lines
/// stood (or first), and prices every line and part. Errors do not stop the rest: the
/// builder shows what it can next to what is wrong.
pub fn evaluate(form: &QuoteForm, ctx: QuoteContext) -> QuoteEvaluation {
    let mut errors = Vec::new();
    let head = Header::check(form, &mut errors);
    let currency = head.currency;
    let (inputs, mut estimate_result) = run_estimator(form, currency, &mut errors);

    let fresh: Option<Vec<LineForm>> = estimate_result.as_ref().map(|e| {
        estimate_lines(
            e,
            ctx.default_tax_rate_percent,
            &ctx.language,
            ctx.hours_increment,
        )
        .iter()
        .map(LineForm::from_line)
        .collect()
    });
    let merged = merge_estimate_lines(&form.lines, fresh, form.use_estimator);
    let checked: Vec<Option<QuoteLine>> = merged
        .iter()
        .enumerate()
        .map(|(i, l)| l.validate(i, &mut errors))
        .collect();
    if let Some(currency) = currency {
        require_catalog_prices(&merged, currency, &ctx, &mut errors);
    }
    let lines: Vec<QuoteLine> = checked.iter().flatten().cloned().collect();
    if let Some(e) = estimate_result.as_mut() {
        e.warnings
            .extend(licences_below_mailboxes(&lines, inputs.as_ref()));
    }
    let rows = merged
        .into_iter()
        .zip(&checked)
        .map(|(form, line)| LineRow {
            net: line.as_ref().zip(currency).map(|(l, c)| l.line.net(c)),
            form,
        })
        .collect();

    let (priced, totals) = match currency {
        Some(currency) => price_lines(
            &lines,
            currency,
            head.term_months.unwrap_or(36),
            ctx.churn_percent,
            ctx.tax.as_ref(),
        ),
        None => (Vec::new(), None),
    };
    let tax_treatment = treatment_of(&lines, ctx.tax.as_ref());
    let data = if errors.is_empty() {
        head.data(form, inputs, lines)
    } else {
        None
    };
    QuoteEvaluation {
        errors,
        estimate: estimate_result,
        rows,
        lines: priced,
        totals,
        tax_treatment,
        data,
    }
}

/// The quote's own fields, each `None` when what was typed is wrong (its error recorded).
struct Header<'a> {
    customer_id: Option<i64>,
    title: &'a str,
    currency: Option<Currency>,
    quote_date: Option<NaiveDate>,
    valid_until: Option<NaiveDate>,
    term_months: Option<u32>,
    win: Option<Decimal>,
    expected_start: Option<NaiveDate>,
}

impl<'a> Header<'a> {
    fn check(form: &'a QuoteForm, errors: &mut Vec<FieldError>) -> Header<'a> {
        fn push(errors: &mut Vec<FieldError>, field: &str, message: String) {
            errors.push(FieldError {
                field: field.into(),
                message,
            });
        }
        let customer_id = form.customer_id.filter(|id| *id > 0);
        if customer_id.is_none() {
            push(errors, "customer_id", "Choose a customer.".into());
        }
        let title = form.title.trim();
        if title.is_empty() || title.chars().count() > 200 {
            push(
                errors,
                "title",
                "A title is required (at most 200 characters).".into(),
            );
        }
        let currency = Currency::parse(&form.currency)
            .map_err(|e| push(errors, "currency", e.message))
            .ok();
        let quote_date = date("quote_date", "The quote date", &form.quote_date, errors);
        let valid_until = date("valid_until", "Valid until", &form.valid_until, errors);
        if let (Some(from), Some(until)) = (quote_date, valid_until) {
            if until < from {
                push(
                    errors,
                    "valid_until",
                    "A quote cannot expire before its date.".into(),
                );
            }
        }
        let term_months = match form.term_months.trim().parse::<u32>() {
            Ok(n) if (1..=120).contains(&n) => Some(n),
            _ => {
                push(
                    errors,
                    "term_months",
                    "The contract term must be 1 to 120 months.".into(),
                );
                None
            }
        };
        let win = parse_typed_decimal("win_probability_percent", &form.win_probability_percent)
            .ok()
            .filter(|p| {
                *p >= Decimal::ZERO && *p <= Decimal::ONE_HUNDRED && p.normalize().scale() <= 2
            });
        if win.is_none() {
            push(
                errors,
                "win_probability_percent",
                "The win probability must be a percentage from 0 to 100.".into(),
            );
        }
        let expected_start = Period::parse(&form.expected_start)
            .map_err(|_| {
                push(
                    errors,
                    "expected_start",
                    format!(
                        "The expected start \"{}\" must be a month like 2027-01.",
                        form.expected_start.trim()
                    ),
                )
            })
            .ok()
            .map(|p| p.first_day());
        Header {
            customer_id,
            title,
            currency,
            quote_date,
            valid_until,
            term_months,
            win,
            expected_start,
        }
    }

    /// The quote to store, when every field and line is right.
    fn data(
        &self,
        form: &QuoteForm,
        inputs: Option<EstimateInputs>,
        lines: Vec<QuoteLine>,
    ) -> Option<QuoteData> {
        Some(QuoteData {
            customer_id: self.customer_id?,
            title: self.title.to_string(),
            currency: self.currency?,
            quote_date: self.quote_date?,
            valid_until: self.valid_until?,
            term_months: self.term_months?,
            win_probability_percent: self.win?.normalize(),
            expected_start: self.expected_start?,
            estimator: inputs,
            coefficients: form.coefficients.clone(),
            lines,
            notes: form.notes.trim_end().to_string(),
            terms: form.terms.trim_end().to_string(),
            // At most what an inventory could flag; longer lists are cut, never refused.
            inventory_flags: form.inventory_flags.iter().take(1000).cloned().collect(),
        })
    }
}

/// The estimator's inputs and result when it is switched on and its inputs are right.
fn run_estimator(
    form: &QuoteForm,
    currency: Option<Currency>,
    errors: &mut Vec<FieldError>,
) -> (Option<EstimateInputs>, Option<Estimate>) {
    let inputs = if form.use_estimator {
        form.estimator.validate(errors)
    } else {
        None
    };
    let result = match (&inputs, currency) {
        (Some(inputs), Some(currency)) => match estimate(inputs, &form.coefficients, currency) {
            Ok(e) => Some(e),
            Err(e) => {
                errors.push(FieldError {
                    field: e
                        .field
                        .map_or("coefficients".into(), |f| format!("coefficients.{f}")),
                    message: e.message,
                });
                None
            }
        },
        _ => None,
    };
    (inputs, result)
}

/// Fresh estimate lines replace the previous ones at their place (or go first); the other
/// lines stay exactly as typed, valid or not, so the builder keeps them. With the estimator
/// switched off its lines go.
fn merge_estimate_lines(
    typed: &[LineForm],
    fresh: Option<Vec<LineForm>>,
    use_estimator: bool,
) -> Vec<LineForm> {
    let mut merged: Vec<LineForm> = Vec::with_capacity(typed.len());
    let mut placed = false;
    for line_form in typed {
        let is_estimate = LineSource::parse(&line_form.source) == LineSource::Estimate;
        match (&fresh, is_estimate) {
            (Some(fresh), true) if !placed => {
                merged.extend(fresh.iter().cloned());
                placed = true;
            }
            (Some(_), true) => {}
            (None, true) if !use_estimator => {}
            _ => merged.push(line_form.clone()),
        }
    }
    if let (Some(fresh), false) = (fresh, placed) {
        merged.splice(0..0, fresh);
    }
    merged
}

/// A catalog item quoted in a currency the catalog has no price in is refused, per line.
fn require_catalog_prices(
    lines: &[LineForm],
    currency: Currency,
    ctx: &QuoteContext,
    errors: &mut Vec<FieldError>,
) {
    for (i, l) in lines.iter().enumerate() {
        let Some((name, priced)) = l
            .catalog_item_id
            .and_then(|id| ctx.catalog_currencies.get(&id))
        else {
            continue;
        };
        if !priced.contains(&currency) {
            errors.push(FieldError {
                field: format!("lines[{i}].description"),
                message: format!(
                    "Line {}: {name} has no price in {currency}; add one in the catalog.",
                    i + 1
                ),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn estimated_hours_are_rounded_to_the_step_midpoint_away_from_zero() {
        let h = |x: &str, step: &str| {
            round_hours(x.parse().unwrap(), step.parse().unwrap()).to_string()
        };
        assert_eq!(h("17.67", "0.25"), "17.75");
        assert_eq!(h("17.62", "0.25"), "17.5");
        assert_eq!(h("17.625", "0.25"), "17.75", "the midpoint goes up");
        assert_eq!(h("0.12", "0.25"), "0", "a phase under 0.125 h rounds away");
        assert_eq!(h("39.58", "0.5"), "39.5");
        assert_eq!(h("65.31", "1"), "65");
        assert_eq!(h("65.31", "0.01"), "65.31");
        assert_eq!(h("65.31", "0"), "65.31");
    }

    fn ctx() -> QuoteContext {
        QuoteContext {
            default_tax_rate_percent: Decimal::from(19),
            churn_percent: Decimal::ONE,
            tax: None,
            language: "en".into(),
            hours_increment: Decimal::new(1, 2),
            catalog_currencies: BTreeMap::new(),
        }
    }

    fn form() -> QuoteForm {
        QuoteForm {
            customer_id: Some(1),
            title: "Exchange to Microsoft 365".into(),
            currency: "EUR".into(),
            quote_date: "2026-11-23".into(),
            valid_until: "2026-12-23".into(),
            expected_start: "2027-01".into(),
            estimator: EstimatorForm {
                source: "exchange_hybrid".into(),
                source_version: String::new(),
                mailboxes: "45".into(),
                shared_mailboxes: "6".into(),
                mailbox_gb: "312.5".into(),
                archive_gb: "40".into(),
                public_folder_gb: "12".into(),
                file_gb: "180".into(),
                pcs: "42".into(),
                phones: "30".into(),
                sites: "2".into(),
                users_to_train: "45".into(),
                complexity: "medium".into(),
            },
            lines: vec![LineForm {
                kind: "monthly".into(),
                source: "catalog".into(),
                description: "Microsoft 365 Business Premium".into(),
                quantity: "45".into(),
                unit: "seat/month".into(),
                unit_price: "20.60".into(),
                unit_cost: "17.51".into(),
                tax_rate_percent: "19".into(),
                ..Default::default()
            }],
            ..QuoteForm::default()
        }
    }

    #[test]
    fn the_estimate_goes_first_and_is_priced_like_the_fixture() {
        let e = evaluate(&form(), ctx());
        assert_eq!(e.errors, vec![]);
        assert_eq!(e.lines.len(), 13);
        assert_eq!(e.lines[0].line.line.description, "Assessment and planning");
        assert_eq!(e.lines[12].line.source, LineSource::Catalog);
        let t = e.totals.unwrap();
        assert_eq!(t.one_time.net.to_string(), "25278.75");
        assert_eq!(t.monthly.net.to_string(), "927.00");
        assert!(e.data.is_some());
    }

    /// With quarter hours (the default setting) every phase's quantity is a multiple of
    /// 0.25 and each line's amount is quantity × rate; the licences keep their count.
    #[test]
    fn the_quote_shows_quarter_hours_and_amounts_that_multiply_out() {
        let quarter = QuoteContext {
            hours_increment: Decimal::new(25, 2),
            ..ctx()
        };
        let e = evaluate(&form(), quarter);
        let four = Decimal::from(4);
        let estimated: Vec<_> = e
            .lines
            .iter()
            .filter(|l| l.line.source == LineSource::Estimate)
            .collect();
        assert_eq!(estimated.len(), 12);
        for l in &estimated {
            let q = l.line.line.quantity;
            assert_eq!((q * four).fract(), Decimal::ZERO, "{q}");
            assert_eq!(
                l.net,
                Currency::EUR.round(q * l.line.line.unit_price),
                "{}",
                l.line.line.description
            );
        }
        let exact = evaluate(&form(), ctx());
        assert_ne!(
            e.totals.unwrap().one_time.net,
            exact.totals.unwrap().one_time.net,
            "the rounding shows in the totals"
        );
    }

    #[test]
    fn estimate_lines_are_replaced_in_place_on_the_next_evaluation() {
        let first = evaluate(&form(), ctx());
        let mut f = form();
        f.lines = first
            .lines
            .iter()
            .map(|l| LineForm::from_line(&l.line))
            .collect();
        f.lines.rotate_left(12); // the catalog line first, then the estimate lines
        f.estimator.mailboxes = "50".into();
        let second = evaluate(&f, ctx());
        assert_eq!(second.lines[0].line.source, LineSource::Catalog);
        assert_eq!(
            second.lines[1].line.line.description,
            "Assessment and planning"
        );
        assert_eq!(second.lines.len(), 13);
        assert_ne!(
            second.totals.unwrap().one_time.net,
            first.totals.unwrap().one_time.net
        );
    }

    #[test]
    fn errors_name_their_fields_and_the_rest_is_still_priced() {
        let mut f = form();
        f.estimator.sites = "0".into();
        f.lines[0].quantity = "-1".into();
        f.title = " ".into();
        let e = evaluate(&f, ctx());
        let fields: Vec<&str> = e.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            vec!["title", "estimator.sites", "lines[0].quantity"]
        );
        assert!(e.data.is_none());
        assert!(e.totals.is_some());
    }

    #[test]
    fn expired_is_derived() {
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(
            QuoteStatus::Sent.shown(d("2026-11-01"), d("2026-11-02")),
            "expired"
        );
        assert_eq!(
            QuoteStatus::Sent.shown(d("2026-11-02"), d("2026-11-02")),
            "sent"
        );
        assert_eq!(
            QuoteStatus::Draft.shown(d("2026-11-01"), d("2026-11-02")),
            "draft"
        );
    }
}
