//! How a customer is taxed (DOMAIN.md §9): the `auto` treatment from the two countries and
//! the customer's VAT ID, and the EN 16931 category each line then takes.

use serde::{Deserialize, Serialize};

/// A customer's tax treatment as chosen; `Auto` is decided per document by [`auto_treatment`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
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

/// The EN 16931 VAT category (UNCL 5305) of a line under a decided treatment: `S` (or `Z` at
/// 0 %) domestic, `AE`/`K` reverse charge for services/goods, `O`/`G` outside the EU, `E`
/// exempt. Reverse charge, outside-EU and exempt lines carry 0 %.
pub fn category(treatment: TaxTreatment, goods: bool, rate_is_zero: bool) -> &'static str {
    match treatment {
        TaxTreatment::Auto | TaxTreatment::Domestic if rate_is_zero => "Z",
        TaxTreatment::Auto | TaxTreatment::Domestic => "S",
        TaxTreatment::ReverseCharge if goods => "K",
        TaxTreatment::ReverseCharge => "AE",
        TaxTreatment::OutsideEu if goods => "G",
        TaxTreatment::OutsideEu => "O",
        TaxTreatment::Exempt => "E",
    }
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
        assert_eq!(category(Domestic, false, false), "S");
        assert_eq!(category(Domestic, false, true), "Z");
        assert_eq!(category(ReverseCharge, false, true), "AE");
        assert_eq!(category(ReverseCharge, true, true), "K");
        assert_eq!(category(OutsideEu, false, true), "O");
        assert_eq!(category(OutsideEu, true, true), "G");
        assert_eq!(category(Exempt, false, true), "E");
        assert_eq!(TaxTreatment::parse("Reverse-Charge"), Some(ReverseCharge));
        assert_eq!(TaxTreatment::parse("sometimes"), None);
    }
}
