//! The migration estimator (DOMAIN.md §4) and its risk flags (§4.2).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::bounds;
use crate::error::CoreError;
use crate::money::{round_dp, Currency};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    ExchangeHybrid,
    ExchangeCutover,
    GoogleWorkspace,
    Imap,
    Other,
}

impl Source {
    pub const ALL: [Source; 5] = [
        Source::ExchangeHybrid,
        Source::ExchangeCutover,
        Source::GoogleWorkspace,
        Source::Imap,
        Source::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Source::ExchangeHybrid => "exchange_hybrid",
            Source::ExchangeCutover => "exchange_cutover",
            Source::GoogleWorkspace => "google_workspace",
            Source::Imap => "imap",
            Source::Other => "other",
        }
    }

    /// `exchange_hybrid`, also written `Exchange Hybrid` or `exchange-hybrid` in spreadsheets.
    pub fn parse(text: &str) -> Option<Source> {
        let t = text.trim().to_ascii_lowercase().replace([' ', '-'], "_");
        Source::ALL.into_iter().find(|s| s.as_str() == t)
    }
}

/// The Exchange Server version an on-premises source runs (DOMAIN.md §4.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub enum SourceVersion {
    #[serde(rename = "2010")]
    V2010,
    #[serde(rename = "2013")]
    V2013,
    #[serde(rename = "2016")]
    V2016,
    #[serde(rename = "2019")]
    V2019,
    /// Exchange Server Subscription Edition, still supported.
    #[serde(rename = "se")]
    Se,
}

impl SourceVersion {
    pub const ALL: [SourceVersion; 5] = [
        SourceVersion::V2010,
        SourceVersion::V2013,
        SourceVersion::V2016,
        SourceVersion::V2019,
        SourceVersion::Se,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SourceVersion::V2010 => "2010",
            SourceVersion::V2013 => "2013",
            SourceVersion::V2016 => "2016",
            SourceVersion::V2019 => "2019",
            SourceVersion::Se => "se",
        }
    }

    pub fn parse(text: &str) -> Option<SourceVersion> {
        let t = text.trim().to_ascii_lowercase();
        SourceVersion::ALL.into_iter().find(|v| v.as_str() == t)
    }

    /// Every version but Subscription Edition left Microsoft's support by 14 October 2025.
    pub fn out_of_support(self) -> bool {
        self != SourceVersion::Se
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Complexity {
    Low,
    #[default]
    Medium,
    High,
}

/// Hours per user mailbox, by source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(deny_unknown_fields)]
pub struct PerSource {
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub exchange_hybrid: Decimal,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub exchange_cutover: Decimal,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub google_workspace: Decimal,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub imap: Decimal,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub other: Decimal,
}

impl PerSource {
    fn get(&self, source: Source) -> Decimal {
        match source {
            Source::ExchangeHybrid => self.exchange_hybrid,
            Source::ExchangeCutover => self.exchange_cutover,
            Source::GoogleWorkspace => self.google_workspace,
            Source::Imap => self.imap,
            Source::Other => self.other,
        }
    }
}

/// Contingency percentage, by complexity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(deny_unknown_fields)]
pub struct PerComplexity {
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub low: Decimal,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub medium: Decimal,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub high: Decimal,
}

/// Every coefficient of the estimator. Settings hold the defaults; a quote keeps a copy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(deny_unknown_fields)]
pub struct Coefficients {
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub hourly_rate: Decimal,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub hourly_cost: Decimal,
    pub hours_per_mailbox: PerSource,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub hours_per_shared_mailbox: Decimal,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub assessment_base: Decimal,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub assessment_per_site: Decimal,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub assessment_per_mailbox: Decimal,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub tenant_base: Decimal,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub tenant_hybrid_extra: Decimal,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub pilot: Decimal,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub gb_mailbox: Decimal,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub gb_archive: Decimal,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub gb_public_folder: Decimal,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub gb_file: Decimal,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub per_pc: Decimal,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub per_phone: Decimal,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub training_hours_per_session: Decimal,
    pub training_users_per_session: u32,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub hypercare_percent: Decimal,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub pm_percent: Decimal,
    pub contingency_percent: PerComplexity,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub licence_price: Decimal,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub licence_cost: Decimal,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub throughput_gb_per_hour: Decimal,
}

fn dec(units: i64, scale: u32) -> Decimal {
    Decimal::new(units, scale)
}

impl Default for Coefficients {
    fn default() -> Self {
        Coefficients {
            hourly_rate: dec(12500, 2),
            hourly_cost: dec(0, 2),
            hours_per_mailbox: PerSource {
                exchange_hybrid: dec(50, 2),
                exchange_cutover: dec(75, 2),
                google_workspace: dec(75, 2),
                imap: dec(100, 2),
                other: dec(125, 2),
            },
            hours_per_shared_mailbox: dec(25, 2),
            assessment_base: dec(8, 0),
            assessment_per_site: dec(2, 0),
            assessment_per_mailbox: dec(5, 2),
            tenant_base: dec(8, 0),
            tenant_hybrid_extra: dec(12, 0),
            pilot: dec(6, 0),
            gb_mailbox: dec(1, 2),
            gb_archive: dec(5, 2),
            gb_public_folder: dec(8, 2),
            gb_file: dec(2, 2),
            per_pc: dec(10, 1),
            per_phone: dec(5, 1),
            training_hours_per_session: dec(2, 0),
            training_users_per_session: 10,
            hypercare_percent: dec(10, 0),
            pm_percent: dec(15, 0),
            contingency_percent: PerComplexity {
                low: dec(0, 0),
                medium: dec(10, 0),
                high: dec(25, 0),
            },
            licence_price: dec(1500, 2),
            licence_cost: dec(1200, 2),
            throughput_gb_per_hour: dec(10, 0),
        }
    }
}

impl Coefficients {
    /// The defaults with a partial override laid over them (nested maps may be partial).
    pub fn with_overrides(overrides: &serde_json::Value) -> Result<Coefficients, CoreError> {
        Coefficients::default().merged(overrides)
    }

    /// These coefficients with a partial override laid over them.
    pub fn merged(&self, overrides: &serde_json::Value) -> Result<Coefficients, CoreError> {
        let mut base = serde_json::to_value(self)
            .map_err(|e| CoreError::validation("coefficients", e.to_string()))?;
        merge_json(&mut base, overrides);
        let merged: Coefficients = serde_json::from_value(base).map_err(|e| {
            CoreError::validation(
                "coefficients",
                format!("The coefficients are not valid: {e}."),
            )
        })?;
        merged.validate()?;
        Ok(merged)
    }

    pub fn validate(&self) -> Result<(), CoreError> {
        let zero = Decimal::ZERO;
        let h = &self.hours_per_mailbox;
        let c = &self.contingency_percent;
        let all = [
            self.hourly_rate,
            self.hourly_cost,
            h.exchange_hybrid,
            h.exchange_cutover,
            h.google_workspace,
            h.imap,
            h.other,
            self.hours_per_shared_mailbox,
            self.assessment_base,
            self.assessment_per_site,
            self.assessment_per_mailbox,
            self.tenant_base,
            self.tenant_hybrid_extra,
            self.pilot,
            self.gb_mailbox,
            self.gb_archive,
            self.gb_public_folder,
            self.gb_file,
            self.per_pc,
            self.per_phone,
            self.training_hours_per_session,
            self.hypercare_percent,
            self.pm_percent,
            c.low,
            c.medium,
            c.high,
            self.licence_price,
            self.licence_cost,
        ];
        if all.iter().any(|v| *v < zero) {
            return Err(CoreError::validation(
                "coefficients",
                "Coefficients must be 0 or more.",
            ));
        }
        if !all
            .iter()
            .chain([&self.throughput_gb_per_hour])
            .all(|v| bounds::amount_in_range(*v))
        {
            return Err(CoreError::validation(
                "coefficients",
                "Coefficients must have at most 12 digits before the decimal mark.",
            ));
        }
        if self.training_users_per_session > bounds::MAX_COUNT {
            return Err(CoreError::validation(
                "training_users_per_session",
                format!(
                    "Users per training session must be at most {}.",
                    bounds::MAX_COUNT_TEXT
                ),
            ));
        }
        if self.training_users_per_session == 0 {
            return Err(CoreError::validation(
                "training_users_per_session",
                "Users per training session must be at least 1.",
            ));
        }
        if self.throughput_gb_per_hour <= zero {
            return Err(CoreError::validation(
                "throughput_gb_per_hour",
                "Migration throughput must be more than 0 GB per hour.",
            ));
        }
        Ok(())
    }
}

fn merge_json(base: &mut serde_json::Value, overrides: &serde_json::Value) {
    match (base, overrides) {
        (serde_json::Value::Object(b), serde_json::Value::Object(o)) => {
            for (key, value) in o {
                match b.get_mut(key) {
                    Some(slot) if slot.is_object() && value.is_object() => merge_json(slot, value),
                    _ => {
                        b.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (slot, value) => *slot = value.clone(),
    }
}

/// What the customer has: the estimator's inputs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct EstimateInputs {
    pub source: Source,
    /// Only meaningful for the Exchange sources; absent raises nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_version: Option<SourceVersion>,
    pub mailboxes: u32,
    pub shared_mailboxes: u32,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub mailbox_gb: Decimal,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub archive_gb: Decimal,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub public_folder_gb: Decimal,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub file_gb: Decimal,
    pub pcs: u32,
    pub phones: u32,
    pub sites: u32,
    pub users_to_train: u32,
    pub complexity: Complexity,
}

impl EstimateInputs {
    pub fn validate(&self) -> Result<(), CoreError> {
        let sizes = [
            ("mailbox_gb", self.mailbox_gb),
            ("archive_gb", self.archive_gb),
            ("public_folder_gb", self.public_folder_gb),
            ("file_gb", self.file_gb),
        ];
        if let Some((field, _)) = sizes.iter().find(|(_, v)| *v < Decimal::ZERO) {
            return Err(CoreError::validation(field, "Sizes must be 0 GB or more."));
        }
        if let Some((field, _)) = sizes.iter().find(|(_, v)| !bounds::amount_in_range(*v)) {
            return Err(CoreError::validation(
                field,
                format!("{field} must have at most 12 digits before the decimal mark."),
            ));
        }
        let counts = [
            ("mailboxes", self.mailboxes),
            ("shared_mailboxes", self.shared_mailboxes),
            ("pcs", self.pcs),
            ("phones", self.phones),
            ("sites", self.sites),
            ("users_to_train", self.users_to_train),
        ];
        if let Some((field, n)) = counts.iter().find(|(_, n)| *n > bounds::MAX_COUNT) {
            return Err(CoreError::validation(
                field,
                format!("{field} {n} is more than {}.", bounds::MAX_COUNT_TEXT),
            ));
        }
        if self.sites == 0 {
            return Err(CoreError::validation(
                "sites",
                "A customer has at least 1 site.",
            ));
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Warning,
    Error,
}

/// A risk flag of §4.2: stable code, severity, a sentence with the numbers behind it.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct RiskFlag {
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    /// The inventory line it comes from, for per-mailbox flags.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct EstimateLine {
    pub description: String,
    pub quantity: Decimal,
    pub unit: String,
    pub unit_price: Decimal,
    pub unit_cost: Decimal,
    pub amount: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct Estimate {
    pub lines: Vec<EstimateLine>,
    pub total_hours: Decimal,
    pub data_gb: Decimal,
    pub migration_days: u32,
    pub labour_total: Decimal,
    pub one_time_total: Decimal,
    pub warnings: Vec<RiskFlag>,
}

/// The estimate's licence line (§4), after the phases.
pub const LICENCE_LINE: &str = "Migration licences";

pub const PHASES: [&str; 11] = [
    "Assessment and planning",
    "Tenant and identity setup",
    "Pilot migration",
    "Mailbox migration",
    "Archives and public folders",
    "File migration",
    "Device cutover",
    "End-user training",
    "Hypercare",
    "Project management",
    "Contingency",
];

fn hours(value: Decimal) -> Decimal {
    round_dp(value, 2)
}

/// The sentence for a figure too large to compute (§6.1: refused, never a panic).
fn too_large(field: &str) -> CoreError {
    CoreError::validation(
        field,
        format!(
            "The estimate is too large to compute ({field}): lower the inputs or coefficients."
        ),
    )
}

/// `Σ a × b` with every step checked; `field` names what overflowed.
fn sum_of_products(field: &str, terms: &[(Decimal, Decimal)]) -> Result<Decimal, CoreError> {
    terms.iter().try_fold(Decimal::ZERO, |acc, (a, b)| {
        a.checked_mul(*b)
            .and_then(|p| acc.checked_add(p))
            .ok_or_else(|| too_large(field))
    })
}

fn percent_of(field: &str, percent: Decimal, phases: &[Decimal]) -> Result<Decimal, CoreError> {
    let base = phases
        .iter()
        .try_fold(Decimal::ZERO, |acc, p| acc.checked_add(*p))
        .ok_or_else(|| too_large(field))?;
    let share = percent / Decimal::ONE_HUNDRED;
    Ok(hours(
        share.checked_mul(base).ok_or_else(|| too_large(field))?,
    ))
}

/// The hours of the eleven phases, in order, each rounded to 2 decimals; a figure too large
/// to compute is refused naming its phase.
pub fn phase_hours(i: &EstimateInputs, c: &Coefficients) -> Result<[Decimal; 11], CoreError> {
    let n = Decimal::from;
    let one = Decimal::ONE;
    let mut p = [Decimal::ZERO; 11];
    p[0] = hours(sum_of_products(
        "assessment",
        &[
            (c.assessment_base, one),
            (c.assessment_per_site, n(i.sites)),
            (c.assessment_per_mailbox, n(i.mailboxes)),
        ],
    )?);
    let hybrid = i.source == Source::ExchangeHybrid;
    let extra = if hybrid {
        c.tenant_hybrid_extra
    } else {
        Decimal::ZERO
    };
    p[1] = hours(sum_of_products(
        "tenant",
        &[(c.tenant_base, one), (extra, one)],
    )?);
    p[2] = if i.mailboxes > 0 {
        hours(c.pilot)
    } else {
        Decimal::ZERO
    };
    p[3] = hours(sum_of_products(
        "mailbox migration",
        &[
            (c.hours_per_mailbox.get(i.source), n(i.mailboxes)),
            (c.hours_per_shared_mailbox, n(i.shared_mailboxes)),
            (c.gb_mailbox, i.mailbox_gb),
        ],
    )?);
    p[4] = hours(sum_of_products(
        "archives and public folders",
        &[
            (c.gb_archive, i.archive_gb),
            (c.gb_public_folder, i.public_folder_gb),
        ],
    )?);
    p[5] = hours(sum_of_products(
        "file migration",
        &[(c.gb_file, i.file_gb)],
    )?);
    p[6] = hours(sum_of_products(
        "device cutover",
        &[(c.per_pc, n(i.pcs)), (c.per_phone, n(i.phones))],
    )?);
    let sessions = i.users_to_train.div_ceil(c.training_users_per_session);
    p[7] = hours(sum_of_products(
        "training",
        &[(n(sessions), c.training_hours_per_session)],
    )?);
    p[8] = percent_of("hypercare", c.hypercare_percent, &p[..8])?;
    p[9] = percent_of("project management", c.pm_percent, &p[..9])?;
    let contingency = match i.complexity {
        Complexity::Low => c.contingency_percent.low,
        Complexity::Medium => c.contingency_percent.medium,
        Complexity::High => c.contingency_percent.high,
    };
    p[10] = percent_of("contingency", contingency, &p[..10])?;
    Ok(p)
}

/// Priced phase lines, totals and risk flags for one set of inputs.
pub fn estimate(
    inputs: &EstimateInputs,
    coefficients: &Coefficients,
    currency: Currency,
) -> Result<Estimate, CoreError> {
    inputs.validate()?;
    coefficients.validate()?;
    let c = coefficients;
    let mut rate = c.hourly_rate;
    rate.rescale(currency.minor_units().max(rate.scale()));
    let phases = phase_hours(inputs, c)?;
    let mut lines = Vec::new();
    for (name, h) in PHASES.iter().zip(phases) {
        if h > Decimal::ZERO {
            lines.push(EstimateLine {
                description: (*name).to_string(),
                quantity: h,
                unit: "hour".to_string(),
                unit_price: rate,
                unit_cost: c.hourly_cost,
                amount: currency.round(sum_of_products(name, &[(h, rate)])?),
            });
        }
    }
    let total_of = |lines: &[EstimateLine]| {
        let amounts: Vec<(Decimal, Decimal)> =
            lines.iter().map(|l| (l.amount, Decimal::ONE)).collect();
        sum_of_products("total", &amounts)
    };
    let labour_total = total_of(&lines)?;
    let licences = u64::from(inputs.mailboxes) + u64::from(inputs.shared_mailboxes);
    if licences > 0 {
        let quantity = Decimal::from(licences);
        lines.push(EstimateLine {
            description: LICENCE_LINE.to_string(),
            quantity,
            unit: "mailbox".to_string(),
            unit_price: c.licence_price,
            unit_cost: c.licence_cost,
            amount: currency.round(sum_of_products("licences", &[(quantity, c.licence_price)])?),
        });
    }
    let one_time_total = total_of(&lines)?;
    let data_gb = sum_of_products(
        "data",
        &[
            (inputs.mailbox_gb, Decimal::ONE),
            (inputs.archive_gb, Decimal::ONE),
            (inputs.public_folder_gb, Decimal::ONE),
            (inputs.file_gb, Decimal::ONE),
        ],
    )?;
    let days = data_gb
        .checked_div(c.throughput_gb_per_hour)
        .and_then(|h| h.checked_div(Decimal::from(24)))
        .ok_or_else(|| too_large("migration days"))?
        .ceil();
    let migration_days = u32::try_from(days).unwrap_or(u32::MAX);
    Ok(Estimate {
        total_hours: sum_of_products("total hours", &phases.map(|h| (h, Decimal::ONE)))?,
        warnings: risk_flags(inputs, migration_days),
        lines,
        data_gb,
        migration_days,
        labour_total,
        one_time_total,
    })
}

/// The flags of §4.2 that depend on the inputs alone (inventory flags come from the import).
pub fn risk_flags(inputs: &EstimateInputs, migration_days: u32) -> Vec<RiskFlag> {
    let mut flags = Vec::new();
    // u64: two counts near u32::MAX must not wrap (they are bounded, but this is the engine).
    let boxes = u64::from(inputs.mailboxes) + u64::from(inputs.shared_mailboxes);
    if inputs.source == Source::ExchangeCutover && boxes > 2000 {
        flags.push(RiskFlag {
            code: "cutover_over_2000",
            severity: Severity::Error,
            message: format!(
                "A cutover migration cannot move {boxes} mailboxes (the limit is 2,000): \
                 use a staged or hybrid migration."
            ),
            line: None,
        });
    } else if inputs.source == Source::ExchangeCutover && boxes > 150 {
        flags.push(RiskFlag {
            code: "cutover_over_150",
            severity: Severity::Warning,
            message: format!(
                "{boxes} mailboxes in a cutover migration: Microsoft recommends a staged or \
                 hybrid migration beyond 150."
            ),
            line: None,
        });
    }
    if inputs.public_folder_gb > Decimal::from(50) {
        flags.push(RiskFlag {
            code: "public_folders_over_50gb",
            severity: Severity::Warning,
            message: format!(
                "{} GB of public folders: public-folder mailboxes must be pre-provisioned.",
                inputs.public_folder_gb.normalize()
            ),
            line: None,
        });
    }
    if migration_days > 14 {
        flags.push(RiskFlag {
            code: "migration_over_14_days",
            severity: Severity::Warning,
            message: format!(
                "Copying the data takes about {migration_days} days: plan a staged or batched \
                 migration."
            ),
            line: None,
        });
    }
    let exchange = matches!(
        inputs.source,
        Source::ExchangeHybrid | Source::ExchangeCutover
    );
    if let Some(version) = inputs
        .source_version
        .filter(|v| exchange && v.out_of_support())
    {
        flags.push(RiskFlag {
            code: "source_out_of_support",
            severity: Severity::Warning,
            message: format!(
                "Exchange Server {} is out of Microsoft support (since 14 October 2025 at the \
                 latest): expect no fixes for migration problems on the source side.",
                version.as_str()
            ),
            line: None,
        });
    }
    if boxes > 0 {
        let average = inputs.mailbox_gb / Decimal::from(boxes);
        if average > Decimal::from(50) {
            flags.push(RiskFlag {
                code: "average_mailbox_over_50gb",
                severity: Severity::Warning,
                message: format!(
                    "{} GB over {boxes} mailboxes is {} GB on average: some are likely above \
                     the Business plans' 50 GB (an inventory shows which).",
                    inputs.mailbox_gb.normalize(),
                    round_dp(average, 1).normalize()
                ),
                line: None,
            });
        }
    }
    flags
}
