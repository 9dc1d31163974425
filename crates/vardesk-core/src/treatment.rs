//! How a customer is taxed (DOMAIN.md §9): the `auto` treatment from the two countries and
//! the customer's VAT ID, and the EN 16931 category each line then takes.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::lines::Line;

/// A customer's tax treatment as chosen; `Auto` is decided per document by [`auto_treatment`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum TaxTreatment {
    #[default]
    Auto,
    Domestic,
    ReverseCharge,
    OutsideEu,
    Exempt,
}

impl TaxTreatment {
    pub const ALL: [TaxTreatment; 5] = [
        TaxTreatment::Auto,
        TaxTreatment::Domestic,
        TaxTreatment::ReverseCharge,
        TaxTreatment::OutsideEu,
        TaxTreatment::Exempt,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TaxTreatment::Auto => "auto",
            TaxTreatment::Domestic => "domestic",
            TaxTreatment::ReverseCharge => "reverse_charge",
            TaxTreatment::OutsideEu => "outside_eu",
            TaxTreatment::Exempt => "exempt",
        }
    }

    pub fn parse(text: &str) -> Option<TaxTreatment> {
        Some(
            match text
                .trim()
                .to_ascii_lowercase()
                .replace(['-', ' '], "_")
                .as_str()
            {
                "" | "auto" => TaxTreatment::Auto,
                "domestic" => TaxTreatment::Domestic,
                "reverse_charge" => TaxTreatment::ReverseCharge,
                "outside_eu" => TaxTreatment::OutsideEu,
                "exempt" => TaxTreatment::Exempt,
                _ => return None,
            },
        )
    }
}

/// The member states of the EU VAT area by ISO code (Greece as GR here: countries, not VAT
/// prefixes).
const EU: [&str; 27] = [
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT",
    "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
];

/// Whether a country is inside the EU VAT area for this kind of supply: Monaco counts as
/// France; Northern Ireland (`XI`) is inside for goods and outside for services.
pub fn in_eu_vat_area(country: &str, goods: bool) -> bool {
    match country.trim().to_ascii_uppercase().as_str() {
        "MC" => true,
        "XI" => goods,
        c => EU.contains(&c),
    }
}

/// The country a supply is taxed as (Monaco as France).
fn vat_country(country: &str) -> String {
    match country.trim().to_ascii_uppercase().as_str() {
        "MC" => "FR".to_string(),
        c => c.to_string(),
    }
}

/// `auto` decided (§9): the company's own country → domestic; another member state with a
/// VAT ID → reverse charge; another member state without one → domestic (a consumer);
/// outside the EU → outside_eu. Territories outside the EU VAT area inside a member state
/// (Canary Islands, Åland, …) share its country code and need the explicit `outside_eu`.
pub fn auto_treatment(
    company_country: &str,
    customer_country: &str,
    customer_has_vat_id: bool,
    goods: bool,
) -> TaxTreatment {
    if vat_country(company_country) == vat_country(customer_country) {
        TaxTreatment::Domestic
    } else if !in_eu_vat_area(customer_country, goods) {
        TaxTreatment::OutsideEu
    } else if customer_has_vat_id {
        TaxTreatment::ReverseCharge
    } else {
        TaxTreatment::Domestic
    }
}

/// An EN 16931 VAT category (UNCL 5305) as VarDesk uses them.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, specta::Type,
)]
pub enum TaxCategory {
    /// Standard rate.
    S,
    /// Zero rated.
    Z,
    /// Reverse charge (services to a business in another member state).
    AE,
    /// Intra-community supply of goods.
    K,
    /// Not subject to VAT: services outside the EU.
    O,
    /// Export of goods outside the EU.
    G,
    /// Exempt (with a reason).
    E,
}

impl TaxCategory {
    pub fn code(self) -> &'static str {
        match self {
            TaxCategory::S => "S",
            TaxCategory::Z => "Z",
            TaxCategory::AE => "AE",
            TaxCategory::K => "K",
            TaxCategory::O => "O",
            TaxCategory::G => "G",
            TaxCategory::E => "E",
        }
    }

    pub fn parse(text: &str) -> Option<TaxCategory> {
        Some(match text.trim().to_ascii_uppercase().as_str() {
            "S" => TaxCategory::S,
            "Z" => TaxCategory::Z,
            "AE" => TaxCategory::AE,
            "K" => TaxCategory::K,
            "O" => TaxCategory::O,
            "G" => TaxCategory::G,
            "E" => TaxCategory::E,
            _ => return None,
        })
    }

    /// The category of a line that names none: a domestic line at its rate.
    pub fn domestic(rate: Decimal) -> TaxCategory {
        if rate.is_zero() {
            TaxCategory::Z
        } else {
            TaxCategory::S
        }
    }

    /// Whether lines of this category carry their own rate (else 0 %).
    pub fn taxed(self) -> bool {
        matches!(self, TaxCategory::S | TaxCategory::Z)
    }

    /// The VATEX exemption reason code printed into e-invoices (none for S and Z; E's code
    /// is the user's reason text alone).
    pub fn vatex(self) -> Option<&'static str> {
        match self {
            TaxCategory::AE => Some("VATEX-EU-AE"),
            TaxCategory::K => Some("VATEX-EU-IC"),
            TaxCategory::O => Some("VATEX-EU-O"),
            TaxCategory::G => Some("VATEX-EU-G"),
            TaxCategory::S | TaxCategory::Z | TaxCategory::E => None,
        }
    }
}

/// What a tax row is keyed by (§9: one row per category and rate), ordered by rate first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, specta::Type)]
pub struct TaxKey {
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub rate: Decimal,
    pub category: TaxCategory,
}

impl TaxKey {
    /// A domestic row at `rate` (`S`, or `Z` at 0 %).
    pub fn domestic(rate: Decimal) -> TaxKey {
        let rate = rate.normalize();
        TaxKey {
            rate,
            category: TaxCategory::domestic(rate),
        }
    }

    /// A line's key: its normalized rate and its category (domestic by rate if none).
    pub fn of(line: &Line) -> TaxKey {
        let rate = line.tax_rate_percent.unwrap_or_default().normalize();
        TaxKey {
            rate,
            category: line.tax_category.unwrap_or(TaxCategory::domestic(rate)),
        }
    }
}

/// The EN 16931 category of a line under a decided treatment: `S` (or `Z` at 0 %) domestic,
/// `AE`/`K` reverse charge for services/goods, `O`/`G` outside the EU, `E` exempt.
pub fn category(treatment: TaxTreatment, goods: bool, rate_is_zero: bool) -> TaxCategory {
    match treatment {
        TaxTreatment::Auto | TaxTreatment::Domestic if rate_is_zero => TaxCategory::Z,
        TaxTreatment::Auto | TaxTreatment::Domestic => TaxCategory::S,
        TaxTreatment::ReverseCharge if goods => TaxCategory::K,
        TaxTreatment::ReverseCharge => TaxCategory::AE,
        TaxTreatment::OutsideEu if goods => TaxCategory::G,
        TaxTreatment::OutsideEu => TaxCategory::O,
        TaxTreatment::Exempt => TaxCategory::E,
    }
}

/// The standard VAT rates of the member states on 1 January 2026 (the One-Stop-Shop table's
/// starting point; Settings keeps the partner's own copy). Greece by its ISO code.
pub const STANDARD_RATES_2026: [(&str, &str); 27] = [
    ("AT", "20"),
    ("BE", "21"),
    ("BG", "20"),
    ("CY", "19"),
    ("CZ", "21"),
    ("DE", "19"),
    ("DK", "25"),
    ("EE", "24"),
    ("ES", "21"),
    ("FI", "25.5"),
    ("FR", "20"),
    ("GR", "24"),
    ("HR", "25"),
    ("HU", "27"),
    ("IE", "23"),
    ("IT", "22"),
    ("LT", "21"),
    ("LU", "17"),
    ("LV", "21"),
    ("MT", "18"),
    ("NL", "21"),
    ("PL", "23"),
    ("PT", "23"),
    ("RO", "21"),
    ("SE", "25"),
    ("SI", "22"),
    ("SK", "23"),
];

/// Everything a document's taxes depend on besides its lines: the two countries, whether the
/// customer has a VAT ID, the customer's chosen treatment, and the company's small-business
/// exemption (DE §19 UStG and equivalents: every line `E`).
#[derive(Debug, Clone, PartialEq)]
pub struct TaxContext {
    pub company_country: String,
    pub small_business: bool,
    pub customer_country: String,
    pub customer_has_vat_id: bool,
    pub treatment: TaxTreatment,
    /// With the company's One-Stop-Shop switch on: the customer country's standard rate, for
    /// a consumer (no VAT ID) in another member state under `auto` (§9).
    pub oss_rate: Option<Decimal>,
}

impl TaxContext {
    /// The treatment of one supply (goods or services), `auto` decided.
    pub fn decide(&self, goods: bool) -> TaxTreatment {
        if self.small_business {
            return TaxTreatment::Exempt;
        }
        match self.treatment {
            TaxTreatment::Auto => auto_treatment(
                &self.company_country,
                &self.customer_country,
                self.customer_has_vat_id,
                goods,
            ),
            chosen => chosen,
        }
    }

    /// The document's treatment as shown beside its totals: that of its services (typed
    /// lines are services), or of goods when every line is goods.
    pub fn document_treatment(&self, lines: &[Line]) -> TaxTreatment {
        let goods = !lines.is_empty() && lines.iter().all(|l| l.goods);
        self.decide(goods)
    }

    /// The lines as taxed: each gets its category, and lines outside `S`/`Z` carry 0 %.
    pub fn apply(&self, lines: &[Line]) -> Vec<Line> {
        lines
            .iter()
            .map(|line| {
                let treatment = self.decide(line.goods);
                let rate = match (treatment, self.oss_rate) {
                    // A taxed line of an OSS sale takes the customer country's standard rate.
                    (TaxTreatment::Domestic, Some(oss))
                        if !line.tax_rate_percent.unwrap_or_default().is_zero() =>
                    {
                        oss
                    }
                    _ => line.tax_rate_percent.unwrap_or_default(),
                };
                let category = category(treatment, line.goods, rate.is_zero());
                Line {
                    tax_rate_percent: Some(if category.taxed() {
                        rate
                    } else {
                        Decimal::ZERO
                    }),
                    tax_category: Some(category),
                    ..line.clone()
                }
            })
            .collect()
    }
}

impl TaxCategory {
    /// The treatment a line of this category was taxed under.
    pub fn treatment(self) -> TaxTreatment {
        match self {
            TaxCategory::S | TaxCategory::Z => TaxTreatment::Domestic,
            TaxCategory::AE | TaxCategory::K => TaxTreatment::ReverseCharge,
            TaxCategory::O | TaxCategory::G => TaxTreatment::OutsideEu,
            TaxCategory::E => TaxTreatment::Exempt,
        }
    }
}

/// How taxed lines read beside their totals: the treatment of their services (or of the
/// first line when all are goods); domestic for lines without categories.
pub fn shown_treatment(taxed: &[Line]) -> TaxTreatment {
    taxed
        .iter()
        .find(|l| !l.goods)
        .or(taxed.first())
        .map_or(TaxTreatment::Domestic, |l| {
            TaxKey::of(l).category.treatment()
        })
}

/// Who a document is between, as far as issuing it depends on (§9).
#[derive(Debug, Clone, Default)]
pub struct Parties<'a> {
    pub company_country: &'a str,
    pub company_vat_id: &'a str,
    pub company_tax_number: &'a str,
    pub company_legal_registration: &'a str,
    pub company_iban: &'a str,
    pub customer_name: &'a str,
    pub customer_vat_id: &'a str,
    pub exemption_reason: &'a str,
    pub small_business: bool,
}

/// Why a document with these taxed lines cannot be issued between these parties, as a
/// sentence saying what to fill in (§9): a bank-transfer invoice needs the company's IBAN;
/// the company needs a country and a VAT ID or tax number; reverse charge needs both VAT IDs
/// (BR-AE-02/03, BR-IC-02/03); services outside the EU need the legal registration
/// (BR-CO-26, as BR-O-02 leaves both VAT IDs out), exports the VAT ID (BR-G-02); exempt
/// lines need their reason.
pub fn check_issuable(parties: &Parties<'_>, lines: &[Line]) -> Result<(), crate::CoreError> {
    let refuse = |field: &str, why: String| Err(crate::CoreError::validation(field, why));
    let has = |c: TaxCategory| lines.iter().any(|l| l.tax_category == Some(c));
    if parties.company_country.trim().is_empty() {
        return refuse(
            "country",
            "Set your company's country in Settings before issuing: it decides how each \
             customer is taxed."
                .into(),
        );
    }
    if parties.company_iban.trim().is_empty() {
        return refuse(
            "iban",
            "Add your bank account's IBAN in Settings before issuing: the invoice asks for \
             payment by bank transfer."
                .into(),
        );
    }
    if parties.company_vat_id.trim().is_empty() && parties.company_tax_number.trim().is_empty() {
        return refuse(
            "tax_id",
            "Add your company's VAT ID or tax number in Settings before issuing: an invoice \
             must carry one."
                .into(),
        );
    }
    if has(TaxCategory::AE) || has(TaxCategory::K) {
        if parties.company_vat_id.trim().is_empty() {
            return refuse(
                "tax_id",
                "Add your company's VAT ID in Settings before issuing a reverse-charge invoice: \
                 both VAT IDs must be printed on it."
                    .into(),
            );
        }
        if parties.customer_vat_id.trim().is_empty() {
            return refuse(
                "vat_id",
                format!(
                    "Add {}'s VAT ID before issuing a reverse-charge invoice: both VAT IDs must \
                     be printed on it.",
                    parties.customer_name
                ),
            );
        }
    }
    // BR-G-02: an export names the seller's VAT ID (DOMAIN.md groups G with O here, but the
    // CEN rules require it; the rules win).
    if has(TaxCategory::G) && parties.company_vat_id.trim().is_empty() {
        return refuse(
            "tax_id",
            "Add your company's VAT ID in Settings before invoicing an export: it must be \
             printed on it."
                .into(),
        );
    }
    // BR-O-11..14: category O stands alone on a document (and BR-O-02 forbids the VAT ID an
    // export needs, BR-G-02), so goods and services to outside the EU are invoiced apart.
    if has(TaxCategory::O) && lines.iter().any(|l| l.tax_category != Some(TaxCategory::O)) {
        return refuse(
            "lines",
            "Services outside the EU (not subject to VAT) cannot share an invoice with goods or \
             taxed lines: invoice them separately."
                .into(),
        );
    }
    if has(TaxCategory::O) && parties.company_legal_registration.trim().is_empty() {
        return refuse(
            "legal_registration",
            "Add your company's legal registration (e.g. HRB 12345, Amtsgericht Köln) in \
             Settings before invoicing outside the EU: such an invoice carries it instead of the \
             VAT IDs."
                .into(),
        );
    }
    if has(TaxCategory::E) && !parties.small_business && parties.exemption_reason.trim().is_empty()
    {
        return refuse(
            "exemption_reason",
            format!(
                "Add the reason {} is exempt from VAT before issuing: it is printed on the \
                 invoice.",
                parties.customer_name
            ),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use TaxTreatment::*;

    #[test]
    fn auto_follows_the_countries_and_the_vat_id() {
        let services = false;
        assert_eq!(auto_treatment("DE", "de", false, services), Domestic);
        assert_eq!(auto_treatment("DE", "NL", true, services), ReverseCharge);
        assert_eq!(auto_treatment("DE", "NL", false, services), Domestic);
        assert_eq!(auto_treatment("DE", "CH", true, services), OutsideEu);
        assert_eq!(auto_treatment("DE", "GB", true, services), OutsideEu);
        assert_eq!(auto_treatment("DE", "US", false, services), OutsideEu);
        assert_eq!(auto_treatment("DE", "IS", false, services), OutsideEu);
        // Monaco is France; Northern Ireland is EU for goods only.
        assert_eq!(auto_treatment("FR", "MC", false, services), Domestic);
        assert_eq!(auto_treatment("DE", "MC", true, services), ReverseCharge);
        assert_eq!(auto_treatment("DE", "XI", true, true), ReverseCharge);
        assert_eq!(auto_treatment("DE", "XI", true, services), OutsideEu);
    }

    #[test]
    fn categories_by_treatment_and_kind_of_supply() {
        let code = |t, goods, zero| category(t, goods, zero).code();
        assert_eq!(code(Domestic, false, false), "S");
        assert_eq!(code(Domestic, false, true), "Z");
        assert_eq!(code(ReverseCharge, false, true), "AE");
        assert_eq!(code(ReverseCharge, true, true), "K");
        assert_eq!(code(OutsideEu, false, true), "O");
        assert_eq!(code(OutsideEu, true, true), "G");
        assert_eq!(code(Exempt, false, true), "E");
        assert_eq!(TaxTreatment::parse("Reverse-Charge"), Some(ReverseCharge));
        for t in TaxTreatment::ALL {
            assert_eq!(TaxTreatment::parse(t.as_str()), Some(t));
        }
        assert_eq!(TaxTreatment::parse("sometimes"), None);
    }
}

#[cfg(test)]
mod issuing_tests {
    use super::*;

    fn service(rate: &str) -> Line {
        Line {
            description: "Support".into(),
            quantity: Decimal::ONE,
            unit: String::new(),
            unit_price: Decimal::ONE_HUNDRED,
            unit_cost: None,
            discount_percent: None,
            tax_rate_percent: Some(rate.parse().unwrap()),
            kind: Default::default(),
            goods: false,
            tax_category: None,
        }
    }

    fn context(country: &str, vat: bool, treatment: TaxTreatment) -> TaxContext {
        TaxContext {
            company_country: "DE".into(),
            small_business: false,
            customer_country: country.into(),
            customer_has_vat_id: vat,
            treatment,
            oss_rate: None,
        }
    }

    fn complete() -> Parties<'static> {
        Parties {
            company_country: "DE",
            company_vat_id: "DE123456788",
            company_iban: "DE89370400440532013000",
            company_legal_registration: "HRB 1, Amtsgericht Köln",
            customer_name: "Contoso",
            customer_vat_id: "NL004495445B01",
            ..Default::default()
        }
    }

    #[test]
    fn reverse_charge_zeroes_the_rate_and_keeps_the_net() {
        let lines = vec![
            service("19"),
            Line {
                goods: true,
                ..service("19")
            },
        ];
        let taxed = context("NL", true, TaxTreatment::Auto).apply(&lines);
        let totals = crate::lines::doc_totals(&taxed, crate::Currency::EUR).unwrap();
        let rows: Vec<_> = totals
            .taxes
            .iter()
            .map(|t| {
                (
                    t.category.code(),
                    t.rate_percent.to_string(),
                    t.base.to_string(),
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                ("AE", "0".into(), "100.00".into()),
                ("K", "0".into(), "100.00".into())
            ]
        );
        assert_eq!(totals.total.to_string(), "200.00");
        // Domestic keeps the rate; a zero rate at home is Z.
        let home = context("DE", false, TaxTreatment::Auto).apply(&[service("19"), service("0")]);
        let codes: Vec<_> = home
            .iter()
            .map(|l| l.tax_category.unwrap().code())
            .collect();
        assert_eq!(codes, ["S", "Z"]);
        assert_eq!(home[0].tax_rate_percent, Some(Decimal::from(19)));
        // One-Stop-Shop: a Dutch consumer is charged Dutch VAT, a Dutch business still none.
        let oss = |vat| TaxContext {
            oss_rate: Some(Decimal::from(21)),
            ..context("NL", vat, TaxTreatment::Auto)
        };
        let consumer = oss(false).apply(&[service("19"), service("0")]);
        assert_eq!(consumer[0].tax_rate_percent, Some(Decimal::from(21)));
        assert_eq!(consumer[0].tax_category, Some(TaxCategory::S));
        assert_eq!(consumer[1].tax_category, Some(TaxCategory::Z));
        assert_eq!(
            oss(true).apply(&[service("19")])[0].tax_category,
            Some(TaxCategory::AE)
        );
        // The small-business exemption overrides everything.
        let small = TaxContext {
            small_business: true,
            ..context("DE", false, TaxTreatment::Domestic)
        };
        assert_eq!(
            small.apply(&[service("19")])[0].tax_category,
            Some(TaxCategory::E)
        );
    }

    #[test]
    fn issuing_says_what_to_fill_in() {
        let rc = context("NL", true, TaxTreatment::Auto).apply(&[service("19")]);
        assert!(check_issuable(&complete(), &rc).is_ok());
        let field = |p: Parties<'_>, lines: &[Line]| check_issuable(&p, lines).unwrap_err().field;
        let no_iban = Parties {
            company_iban: "",
            ..complete()
        };
        assert_eq!(field(no_iban, &rc).as_deref(), Some("iban"));
        let no_customer_vat = Parties {
            customer_vat_id: "",
            ..complete()
        };
        assert_eq!(field(no_customer_vat, &rc).as_deref(), Some("vat_id"));
        let only_tax_number = Parties {
            company_vat_id: "",
            company_tax_number: "217/5740/0123",
            ..complete()
        };
        let home = context("DE", false, TaxTreatment::Auto).apply(&[service("19")]);
        assert!(check_issuable(&only_tax_number, &home).is_ok());
        assert_eq!(field(only_tax_number, &rc).as_deref(), Some("tax_id"));
        let outside = context("US", false, TaxTreatment::Auto).apply(&[service("19")]);
        let unregistered = Parties {
            company_legal_registration: "",
            ..complete()
        };
        assert_eq!(
            field(unregistered, &outside).as_deref(),
            Some("legal_registration")
        );
        let exempt = context("DE", false, TaxTreatment::Exempt).apply(&[service("19")]);
        assert_eq!(
            field(complete(), &exempt).as_deref(),
            Some("exemption_reason")
        );
    }
}
