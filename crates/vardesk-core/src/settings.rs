//! The company profile and preferences, validated the same way in the form and the backend.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::FieldError;
use crate::estimate::Coefficients;
use crate::money::{parse_typed_decimal, Currency};
use crate::numbering::validate_template;

pub const LOCALES: [&str; 10] = [
    "en-GB", "en-US", "de-DE", "de-CH", "fr-FR", "nl-NL", "pl-PL", "sv-SE", "da-DK", "es-ES",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, specta::Type)]
pub enum PaperSize {
    #[default]
    A4,
    Letter,
}

/// Validated settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct Settings {
    pub company_name: String,
    pub address_line1: String,
    pub address_line2: String,
    pub postal_code: String,
    pub city: String,
    pub country: String,
    pub tax_id: String,
    pub email: String,
    pub phone: String,
    pub bank_name: String,
    pub iban: String,
    pub bic: String,
    /// §9 parties: the national tax number (DE Steuernummer), the legal registration
    /// (`HRB 12345, Amtsgericht Köln`), the managing directors, a contact person and the
    /// electronic address (Peppol `scheme:id`, or an e-mail).
    #[serde(default)]
    pub tax_number: String,
    #[serde(default)]
    pub legal_registration: String,
    #[serde(default)]
    pub managing_directors: String,
    #[serde(default)]
    pub contact_name: String,
    #[serde(default)]
    pub electronic_address: String,
    /// DE §19 UStG and equivalents: no VAT on any line, category `E` (§9).
    #[serde(default)]
    pub small_business: bool,
    /// The One-Stop-Shop: consumers in other member states pay their country's rate.
    #[serde(default)]
    pub oss: bool,
    /// Each member state's standard rate for the One-Stop-Shop (the 2026 table by default).
    #[serde(default = "oss_rates_2026", with = "rates_as_text")]
    #[specta(type = std::collections::BTreeMap<String, String>)]
    pub oss_rates: std::collections::BTreeMap<String, Decimal>,
    pub default_currency: Currency,
    pub locale: String,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub default_tax_rate_percent: Decimal,
    pub payment_terms_days: u32,
    pub invoice_number_template: String,
    pub credit_note_number_template: String,
    pub paper_size: PaperSize,
    #[serde(with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub churn_percent: Decimal,
    pub estimator_coefficients: Coefficients,
    /// Days a new quote is valid.
    #[serde(default = "default_quote_validity")]
    pub quote_validity_days: u32,
    /// The terms every new quote starts with.
    #[serde(default)]
    pub quote_terms: String,
    /// The step estimated hours are rounded to on the customer's quote (0.25 h by default).
    #[serde(default = "default_hours_increment", with = "crate::money::serde_str")]
    #[specta(type = String)]
    pub hours_increment: Decimal,
}

/// The steps estimated hours may be rounded to; 0.01 keeps the estimate's two decimals.
pub const HOURS_INCREMENTS: [&str; 5] = ["0.01", "0.1", "0.25", "0.5", "1"];

fn default_hours_increment() -> Decimal {
    Decimal::new(25, 2)
}

fn default_quote_validity() -> u32 {
    30
}

/// The terms a first run suggests for quotes (the partner edits them in Settings).
pub const DEFAULT_QUOTE_TERMS: &str = "Prices exclude VAT. The one-time project is invoiced on completion, recurring services monthly in advance from the start month, for the contract term stated.";

/// The settings form as typed: text fields, checked together.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, specta::Type)]
#[serde(default)]
pub struct SettingsForm {
    pub company_name: String,
    pub address_line1: String,
    pub address_line2: String,
    pub postal_code: String,
    pub city: String,
    pub country: String,
    pub tax_id: String,
    pub email: String,
    pub phone: String,
    pub bank_name: String,
    pub iban: String,
    pub bic: String,
    pub tax_number: String,
    pub legal_registration: String,
    pub managing_directors: String,
    pub contact_name: String,
    pub electronic_address: String,
    pub small_business: bool,
    pub oss: bool,
    /// Rates as typed, by country code; missing countries keep the 2026 rate.
    pub oss_rates: std::collections::BTreeMap<String, String>,
    pub default_currency: String,
    pub locale: String,
    pub default_tax_rate_percent: String,
    pub payment_terms_days: String,
    pub invoice_number_template: String,
    pub credit_note_number_template: String,
    pub paper_size: String,
    pub churn_percent: String,
    /// The estimator's defaults; every new quote starts with a copy.
    pub estimator_coefficients: Coefficients,
    pub quote_validity_days: String,
    pub quote_terms: String,
    pub hours_increment: String,
}

impl SettingsForm {
    /// Defaults for a first run, with the company name left for the user.
    pub fn first_run() -> SettingsForm {
        SettingsForm {
            default_currency: FIRST_RUN_CURRENCY.into(),
            locale: FIRST_RUN_LOCALE.into(),
            default_tax_rate_percent: "19".into(),
            payment_terms_days: "14".into(),
            invoice_number_template: "INV-{YYYY}-{SEQ:4}".into(),
            credit_note_number_template: "CN-{YYYY}-{SEQ:4}".into(),
            paper_size: "A4".into(),
            churn_percent: "1".into(),
            quote_validity_days: "30".into(),
            quote_terms: DEFAULT_QUOTE_TERMS.into(),
            hours_increment: "0.25".into(),
            oss_rates: oss_rates_2026()
                .into_iter()
                .map(|(c, r)| (c, r.normalize().to_string()))
                .collect(),
            ..Default::default()
        }
    }

    pub fn from_settings(s: &Settings) -> SettingsForm {
        SettingsForm {
            company_name: s.company_name.clone(),
            address_line1: s.address_line1.clone(),
            address_line2: s.address_line2.clone(),
            postal_code: s.postal_code.clone(),
            city: s.city.clone(),
            country: s.country.clone(),
            tax_id: s.tax_id.clone(),
            email: s.email.clone(),
            phone: s.phone.clone(),
            bank_name: s.bank_name.clone(),
            iban: s.iban.clone(),
            bic: s.bic.clone(),
            tax_number: s.tax_number.clone(),
            legal_registration: s.legal_registration.clone(),
            managing_directors: s.managing_directors.clone(),
            contact_name: s.contact_name.clone(),
            electronic_address: s.electronic_address.clone(),
            small_business: s.small_business,
            oss: s.oss,
            oss_rates: s
                .oss_rates
                .iter()
                .map(|(c, r)| (c.clone(), r.normalize().to_string()))
                .collect(),
            default_currency: s.default_currency.code().into(),
            locale: s.locale.clone(),
            default_tax_rate_percent: s.default_tax_rate_percent.normalize().to_string(),
            payment_terms_days: s.payment_terms_days.to_string(),
            invoice_number_template: s.invoice_number_template.clone(),
            credit_note_number_template: s.credit_note_number_template.clone(),
            paper_size: format!("{:?}", s.paper_size),
            churn_percent: s.churn_percent.normalize().to_string(),
            quote_validity_days: s.quote_validity_days.to_string(),
            quote_terms: s.quote_terms.clone(),
            hours_increment: s.hours_increment.normalize().to_string(),
            estimator_coefficients: s.estimator_coefficients.clone(),
        }
    }

    /// Checks every field.
    pub fn validate(&self) -> Result<Settings, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut fail = |field: &str, message: String| {
            errors.push(FieldError {
                field: field.into(),
                message,
            });
        };
        let company_name = self.company_name.trim();
        if company_name.is_empty() {
            fail(
                "company_name",
                "Your company name is required: it prints on every document.".into(),
            );
        } else if company_name.chars().count() > 200 {
            fail(
                "company_name",
                "The company name can have at most 200 characters.".into(),
            );
        }
        let currency = Currency::parse(&self.default_currency);
        if let Err(e) = &currency {
            fail("default_currency", e.message.clone());
        }
        if !LOCALES.contains(&self.locale.as_str()) {
            fail(
                "locale",
                format!("Choose a locale from the list ({}).", LOCALES.join(", ")),
            );
        }
        let percent = |text: &str| {
            parse_typed_decimal("percent", text).ok().filter(|p| {
                *p >= Decimal::ZERO && *p <= Decimal::ONE_HUNDRED && p.normalize().scale() <= 2
            })
        };
        let tax = percent(&self.default_tax_rate_percent);
        if tax.is_none() {
            fail(
                "default_tax_rate_percent",
                format!(
                    "The tax rate \"{}\" must be a percentage from 0 to 100 with at most 2 decimals.",
                    self.default_tax_rate_percent.trim()
                ),
            );
        }
        let churn = percent(&self.churn_percent);
        if churn.is_none() {
            fail(
                "churn_percent",
                "Monthly churn must be a percentage from 0 to 100.".into(),
            );
        }
        let validity = self
            .quote_validity_days
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|d| (1..=365).contains(d));
        if validity.is_none() {
            fail(
                "quote_validity_days",
                "Quotes are valid for a whole number of days, 1–365.".into(),
            );
        }
        let hours_increment = HOURS_INCREMENTS
            .iter()
            .find(|step| {
                parse_typed_decimal("hours_increment", &self.hours_increment).ok()
                    == step.parse::<Decimal>().ok()
            })
            .and_then(|step| step.parse::<Decimal>().ok());
        if hours_increment.is_none() {
            fail(
                "hours_increment",
                format!(
                    "Round estimated hours to one of {} h.",
                    HOURS_INCREMENTS.join(", ")
                ),
            );
        }
        if self.quote_terms.chars().count() > 2000 {
            fail(
                "quote_terms",
                "The quote terms can be at most 2,000 characters.".into(),
            );
        }
        let terms = crate::bounds::payment_terms_days(&self.payment_terms_days)
            .map_err(|e| fail("payment_terms_days", e))
            .ok();
        for (field, template) in [
            ("invoice_number_template", &self.invoice_number_template),
            (
                "credit_note_number_template",
                &self.credit_note_number_template,
            ),
        ] {
            if let Err(e) = validate_template(template.trim()) {
                fail(field, e.message);
            }
        }
        if self.invoice_number_template.trim() == self.credit_note_number_template.trim() {
            fail(
                "credit_note_number_template",
                "Credit notes need their own number template (e.g. CN-{YYYY}-{SEQ:4}).".into(),
            );
        }
        let paper_size = match self.paper_size.as_str() {
            "A4" => PaperSize::A4,
            "Letter" => PaperSize::Letter,
            _ => {
                fail("paper_size", "Paper size must be A4 or Letter.".into());
                PaperSize::A4
            }
        };
        for (field, label, text) in [
            ("tax_number", "The tax number", &self.tax_number),
            (
                "legal_registration",
                "The legal registration",
                &self.legal_registration,
            ),
            (
                "managing_directors",
                "The managing directors",
                &self.managing_directors,
            ),
            ("contact_name", "The contact name", &self.contact_name),
        ] {
            if text.trim().chars().count() > 200 || text.chars().any(char::is_control) {
                fail(
                    field,
                    format!("{label} must be one line of at most 200 characters."),
                );
            }
        }
        let address = self.electronic_address.trim();
        if !address.is_empty() && !electronic_address_ok(address) {
            fail(
                "electronic_address",
                format!(
                    "\"{address}\" is not an electronic address: a Peppol id like \
                     9930:DE123456788 (scheme, colon, id) or an e-mail address."
                ),
            );
        }
        let (email, country) =
            crate::customer::check_email_and_country(&self.email, &self.country, &mut fail);
        let vat_id = match self.tax_id.trim() {
            // Outside the EU a VAT number has other forms (GB, CH, NO): kept as typed.
            typed if typed.is_empty() || !crate::treatment::in_eu_vat_area(&country, true) => {
                typed.to_string()
            }
            typed => match crate::vat::check_vat_id(typed) {
                Ok(id) => id.to_string(),
                Err(e) => {
                    fail("tax_id", e.message);
                    typed.to_string()
                }
            },
        };
        let mut oss_rates = oss_rates_2026();
        for (country, typed) in &self.oss_rates {
            let code = country.trim().to_ascii_uppercase();
            let rate = percent(typed);
            match (oss_rates.get_mut(&code), rate) {
                (Some(slot), Some(rate)) => *slot = rate.normalize(),
                (Some(_), None) => fail(
                    "oss_rates",
                    format!(
                        "The One-Stop-Shop rate for {code} \"{}\" must be a percentage from 0 to \
                         100 with at most 2 decimals.",
                        typed.trim()
                    ),
                ),
                (None, _) => fail(
                    "oss_rates",
                    format!("{code} is not a member state of the EU (One-Stop-Shop rates)."),
                ),
            }
        }
        let iban = compact(&self.iban);
        if !iban.is_empty() && !iban_ok(&iban) {
            fail(
                "iban",
                format!(
                    "\"{}\" is not an IBAN: two letters, two check digits and up to 30 letters or \
                     digits, like DE89 3704 0044 0532 0130 00.",
                    self.iban.trim()
                ),
            );
        }
        let bic = compact(&self.bic);
        if !bic.is_empty() && !bic_ok(&bic) {
            fail(
                "bic",
                format!(
                    "\"{}\" is not a BIC: 8 or 11 letters and digits, like COBADEFFXXX.",
                    self.bic.trim()
                ),
            );
        }
        if let Err(e) = self.estimator_coefficients.validate() {
            errors.push(FieldError {
                field: e.field.map_or("estimator_coefficients".into(), |f| {
                    format!("estimator_coefficients.{f}")
                }),
                message: e.message,
            });
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let t = |s: &str| s.trim().to_string();
        Ok(Settings {
            company_name: company_name.into(),
            address_line1: t(&self.address_line1),
            address_line2: t(&self.address_line2),
            postal_code: t(&self.postal_code),
            city: t(&self.city),
            country,
            tax_id: vat_id,
            email: email.into(),
            phone: t(&self.phone),
            bank_name: t(&self.bank_name),
            iban,
            bic,
            tax_number: t(&self.tax_number),
            legal_registration: t(&self.legal_registration),
            managing_directors: t(&self.managing_directors),
            contact_name: t(&self.contact_name),
            electronic_address: address.to_string(),
            small_business: self.small_business,
            oss: self.oss,
            oss_rates,
            default_currency: currency.unwrap_or(Currency::EUR),
            locale: self.locale.clone(),
            default_tax_rate_percent: tax.unwrap_or_default().normalize(),
            payment_terms_days: terms.unwrap_or_default(),
            invoice_number_template: t(&self.invoice_number_template),
            credit_note_number_template: t(&self.credit_note_number_template),
            paper_size,
            churn_percent: churn.unwrap_or_default().normalize(),
            estimator_coefficients: self.estimator_coefficients.clone(),
            quote_validity_days: validity.unwrap_or(30),
            quote_terms: self.quote_terms.trim().to_string(),
            hours_increment: hours_increment.unwrap_or_else(default_hours_increment),
        })
    }
}

/// The standard rates of the member states on 1 January 2026.
pub fn oss_rates_2026() -> std::collections::BTreeMap<String, Decimal> {
    crate::treatment::STANDARD_RATES_2026
        .iter()
        .map(|(c, r)| (c.to_string(), r.parse().unwrap_or_default()))
        .collect()
}

/// Rates cross IPC and files as text, like every decimal.
mod rates_as_text {
    use std::collections::BTreeMap;

    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(
        rates: &BTreeMap<String, Decimal>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.collect_map(rates.iter().map(|(c, r)| (c, r.normalize().to_string())))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<BTreeMap<String, Decimal>, D::Error> {
        let text: BTreeMap<String, String> = BTreeMap::deserialize(d)?;
        text.into_iter()
            .map(|(c, r)| r.parse().map(|r| (c, r)).map_err(serde::de::Error::custom))
            .collect()
    }
}

/// Upper case without spaces: how IBANs and BICs are kept.
fn compact(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect()
}

/// ISO 13616: country letters, check digits, 11–30 letters or digits, and mod 97 = 1 over
/// the rearranged number.
pub fn iban_ok(iban: &str) -> bool {
    let b = iban.as_bytes();
    if !(15..=34).contains(&b.len())
        || !b[..2].iter().all(u8::is_ascii_uppercase)
        || !b[2..4].iter().all(u8::is_ascii_digit)
        || !b.iter().all(u8::is_ascii_alphanumeric)
    {
        return false;
    }
    let remainder = b[4..].iter().chain(&b[..4]).fold(0u32, |acc, c| {
        let value = if c.is_ascii_digit() {
            u32::from(c - b'0')
        } else {
            u32::from(c.to_ascii_uppercase() - b'A') + 10
        };
        let acc = if value >= 10 { acc * 100 } else { acc * 10 };
        (acc + value) % 97
    });
    remainder == 1
}

/// An IBAN as people read it: groups of four (`DE89 3704 0044 0532 0130 00`).
pub fn grouped_iban(iban: &str) -> String {
    let compact = compact(iban);
    let chars: Vec<char> = compact.chars().collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// ISO 9362: bank (4 letters), country (2 letters), location (2), optional branch (3).
pub fn bic_ok(bic: &str) -> bool {
    let b = bic.as_bytes();
    (b.len() == 8 || b.len() == 11)
        && b[..6].iter().all(u8::is_ascii_uppercase)
        && b.iter().all(u8::is_ascii_alphanumeric)
}

/// A Peppol participant id (`scheme:id`, the scheme four digits of the ICD list, e.g.
/// `9930:DE123456788` or `0088:4012345000009`) or an e-mail address.
pub fn electronic_address_ok(text: &str) -> bool {
    match text.split_once(':') {
        Some((scheme, id)) if !text.contains('@') => {
            scheme.len() == 4
                && scheme.bytes().all(|b| b.is_ascii_digit())
                && !id.is_empty()
                && id.len() <= 100
                && id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'))
        }
        _ => crate::customer::looks_like_email(text),
    }
}

/// The largest logo accepted: plenty for print, small enough for every document.
pub const MAX_LOGO_BYTES: usize = 2 * 1024 * 1024;
/// More pixels per side than print needs (a 300 dpi logo 25 cm wide).
pub const MAX_LOGO_PIXELS: usize = 3000;
/// The window's language and currency until the company profile says otherwise.
pub const FIRST_RUN_LOCALE: &str = "en-GB";
pub const FIRST_RUN_CURRENCY: &str = "EUR";

/// A logo must be a PNG or JPEG file of at most 2 MB.
pub fn check_logo(bytes: &[u8]) -> Result<(), crate::CoreError> {
    let png = bytes.starts_with(b"\x89PNG\r\n\x1a\n");
    let jpeg = bytes.starts_with(&[0xFF, 0xD8, 0xFF]);
    if !png && !jpeg {
        return Err(crate::CoreError::validation(
            "logo",
            "The logo must be a PNG or JPEG image.",
        ));
    }
    if bytes.len() > MAX_LOGO_BYTES {
        return Err(crate::CoreError::validation(
            "logo",
            format!(
                "The logo is {} KB; at most 2,048 KB fit.",
                bytes.len() / 1024
            ),
        ));
    }
    Ok(())
}

/// The logo's size as read from the image (`None`: the image cannot be read).
pub fn check_logo_pixels(size: Option<(usize, usize)>) -> Result<(), crate::CoreError> {
    match size {
        None => Err(crate::CoreError::validation(
            "logo",
            "The logo file is damaged: it cannot be read as an image.",
        )),
        Some((w, h)) if w > MAX_LOGO_PIXELS || h > MAX_LOGO_PIXELS => {
            Err(crate::CoreError::validation(
                "logo",
                format!(
                    "The logo is {w} × {h} pixels; at most {MAX_LOGO_PIXELS} per side are \
                     needed for print."
                ),
            ))
        }
        Some(_) => Ok(()),
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_logo_is_refused_when_unreadable_or_larger_than_print_needs() {
        use super::check_logo_pixels;
        assert!(check_logo_pixels(Some((3000, 3000))).is_ok());
        assert!(check_logo_pixels(Some((1, 1))).is_ok());
        let wide = check_logo_pixels(Some((3001, 10))).unwrap_err();
        assert_eq!(
            wide.message,
            "The logo is 3001 × 10 pixels; at most 3000 per side are needed for print."
        );
        assert!(check_logo_pixels(Some((10, 3001))).is_err());
        assert!(check_logo_pixels(None)
            .unwrap_err()
            .message
            .contains("damaged"));
    }

    #[test]
    fn electronic_addresses_are_peppol_ids_or_e_mails() {
        for ok in [
            "9930:DE123456788",
            "0088:4012345000009",
            "invoices@contoso.de",
        ] {
            assert!(super::electronic_address_ok(ok), "{ok}");
        }
        for bad in [
            "DE123456788",
            "99:DE1",
            "9930:",
            "9930:a b",
            "x@",
            "EM:a@b.c",
        ] {
            assert!(!super::electronic_address_ok(bad), "{bad}");
        }
    }

    use super::*;

    #[test]
    fn first_run_defaults_need_only_a_name() {
        let mut form = SettingsForm::first_run();
        let errors = form.validate().unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "company_name");
        form.company_name = "Contoso IT Services".into();
        let settings = form.validate().unwrap();
        assert_eq!(SettingsForm::from_settings(&settings), form);
    }

    #[test]
    fn bad_templates_and_rates_are_refused() {
        let form = SettingsForm {
            company_name: "X".into(),
            invoice_number_template: "INV-{YYYY}".into(),
            default_tax_rate_percent: "101".into(),
            ..SettingsForm::first_run()
        };
        let fields: Vec<String> = form
            .validate()
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            vec!["default_tax_rate_percent", "invoice_number_template"]
        );
    }
}

#[cfg(test)]
mod bank_tests {
    use super::{bic_ok, iban_ok};

    #[test]
    fn ibans_and_bics_are_checked() {
        for ok in [
            "DE89370400440532013000",
            "GB82WEST12345698765432",
            "NL91ABNA0417164300",
            "BE68539007547034",
            "FR1420041010050500013M02606",
        ] {
            assert!(iban_ok(ok), "{ok}");
        }
        for bad in [
            "DE89370400440532013001",
            "DE8937040044",
            "1234567890123456",
            "DE89 3704",
        ] {
            assert!(!iban_ok(bad), "{bad}");
        }
        assert!(bic_ok("COBADEFFXXX") && bic_ok("DEUTDEFF"));
        assert!(!bic_ok("COBADEF") && !bic_ok("12BADEFF"));
    }
}
