//! The languages documents are printed in (DOMAIN.md §9) and each country's default.

/// Every language a quote, invoice or credit note can be printed in.
pub const LANGUAGES: [&str; 9] = ["en", "de", "fr", "nl", "es", "it", "pl", "sv", "da"];

/// A supported language code from what was typed (`DE`, `de-AT` → `de`), or `None`.
pub fn parse(text: &str) -> Option<&'static str> {
    let code = text.trim().to_ascii_lowercase();
    let code = code.split(['-', '_']).next().unwrap_or("");
    LANGUAGES.iter().copied().find(|l| *l == code)
}

/// A country's usual document language by §9 (DE, AT, LI → de; FR,
/// LU, MC → fr; NL, BE → nl; ES → es; IT → it; PL → pl; SE → sv; DK → da; else en).
pub fn for_country(country: &str) -> &'static str {
    match country.trim().to_ascii_uppercase().as_str() {
        "DE" | "AT" | "LI" => "de",
        "FR" | "LU" | "MC" => "fr",
        "NL" | "BE" => "nl",
        "ES" => "es",
        "IT" => "it",
        "PL" => "pl",
        "SE" => "sv",
        "DK" => "da",
        _ => "en",
    }
}

/// The language a customer's documents print in: its own choice, else its country's.
pub fn of_customer(chosen: &str, country: &str) -> &'static str {
    parse(chosen).unwrap_or_else(|| for_country(country))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_customers_language_is_chosen_or_follows_its_country() {
        assert_eq!(of_customer("", "AT"), "de");
        assert_eq!(of_customer("", "BE"), "nl");
        assert_eq!(of_customer("fr", "BE"), "fr");
        assert_eq!(of_customer("", "MC"), "fr");
        assert_eq!(of_customer("", "US"), "en");
        assert_eq!(of_customer("", "CH"), "en");
        assert_eq!(parse("de-AT"), Some("de"));
        assert_eq!(parse("pt"), None);
    }
}
