//! The single settings row: company profile and preferences.

use rusqlite::{params, OptionalExtension, Row};
use vardesk_core::settings::{PaperSize, Settings, SettingsForm};
use vardesk_core::{CoreError, Currency};

use crate::{from_scaled, internal, now, to_scaled, DbResult, Result, Store};

fn from_row(row: &Row<'_>) -> rusqlite::Result<(Settings, bool)> {
    let currency: String = row.get("default_currency")?;
    let paper: String = row.get("paper_size")?;
    let coefficients: String = row.get("estimator_coefficients")?;
    let settings = Settings {
        company_name: row.get("company_name")?,
        address_line1: row.get("address_line1")?,
        address_line2: row.get("address_line2")?,
        postal_code: row.get("postal_code")?,
        city: row.get("city")?,
        country: row.get("country")?,
        tax_id: row.get("tax_id")?,
        email: row.get("email")?,
        phone: row.get("phone")?,
        bank_name: row.get("bank_name")?,
        iban: row.get("iban")?,
        bic: row.get("bic")?,
        tax_number: row.get("tax_number")?,
        legal_registration: row.get("legal_registration")?,
        managing_directors: row.get("managing_directors")?,
        contact_name: row.get("contact_name")?,
        electronic_address: row.get("electronic_address")?,
        small_business: row.get("small_business")?,
        oss: row.get("oss")?,
        oss_rates: {
            let text: String = row.get("oss_rates")?;
            let mut rates = vardesk_core::settings::oss_rates_2026();
            let stored: std::collections::BTreeMap<String, String> =
                serde_json::from_str(&text).unwrap_or_default();
            for (country, rate) in stored {
                if let (Some(slot), Ok(rate)) = (rates.get_mut(&country), rate.parse()) {
                    *slot = rate;
                }
            }
            rates
        },
        default_currency: Currency::parse(&currency).unwrap_or(Currency::EUR),
        locale: row.get("locale")?,
        default_tax_rate_percent: from_scaled(row.get("default_tax_rate_e2")?, 2),
        payment_terms_days: row.get("payment_terms_days")?,
        invoice_number_template: row.get("invoice_number_template")?,
        credit_note_number_template: row.get("credit_note_number_template")?,
        paper_size: if paper == "Letter" {
            PaperSize::Letter
        } else {
            PaperSize::A4
        },
        churn_percent: from_scaled(row.get("churn_e2")?, 2),
        quote_validity_days: row.get("quote_validity_days")?,
        quote_terms: row.get("quote_terms")?,
        hours_increment: from_scaled(row.get("hours_increment_e2")?, 2),
        estimator_coefficients: serde_json::from_str(&coefficients).unwrap_or_default(),
    };
    Ok((settings, row.get::<_, i64>("sample_data_answered")? == 1))
}

/// The company block as documents print it (and as issued invoices keep it).
pub fn company_snapshot(s: &Settings) -> serde_json::Value {
    serde_json::json!({
        "name": s.company_name, "address_line1": s.address_line1,
        "address_line2": s.address_line2, "postal_code": s.postal_code,
        "city": s.city, "country": s.country, "tax_id": s.tax_id,
        "email": s.email, "phone": s.phone, "bank_name": s.bank_name,
        "iban": s.iban, "bic": s.bic, "locale": s.locale,
        "tax_number": s.tax_number, "legal_registration": s.legal_registration,
        "managing_directors": s.managing_directors, "contact_name": s.contact_name,
        "electronic_address": s.electronic_address, "small_business": s.small_business,
        "paper_size": match s.paper_size { PaperSize::A4 => "A4", PaperSize::Letter => "Letter" },
    })
}

impl Store {
    /// The settings, or `None` before the first-run profile was saved.
    pub fn settings(&self) -> Result<Option<Settings>> {
        Ok(self.settings_and_first_run()?.map(|(s, _)| s))
    }

    /// The settings and whether the user has answered the sample-data question.
    pub fn settings_and_first_run(&self) -> Result<Option<(Settings, bool)>> {
        self.conn()
            .query_row("SELECT * FROM settings WHERE id = 1", [], from_row)
            .optional()
            .db()
    }

    /// Validates and saves the settings form; returns the saved settings.
    pub fn save_settings(&mut self, form: &SettingsForm) -> Result<Settings> {
        let s = form.validate().map_err(CoreError::from)?;
        let coefficients = serde_json::to_string(&s.estimator_coefficients)
            .map_err(|e| internal(e.to_string()))?;
        let paper = match s.paper_size {
            PaperSize::A4 => "A4",
            PaperSize::Letter => "Letter",
        };
        let tax = to_scaled(s.default_tax_rate_percent, 2)?;
        let churn = to_scaled(s.churn_percent, 2)?;
        self.write(|tx| {
            tx.execute(
                "INSERT INTO settings (id, company_name, address_line1, address_line2, postal_code,
                    city, country, tax_id, email, phone, bank_name, iban, bic, default_currency,
                    locale, default_tax_rate_e2, payment_terms_days, invoice_number_template,
                    credit_note_number_template, paper_size, churn_e2, estimator_coefficients,
                    updated_at)
                 VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                    ?17, ?18, ?19, ?20, ?21, ?22)
                 ON CONFLICT (id) DO UPDATE SET company_name = ?1, address_line1 = ?2,
                    address_line2 = ?3, postal_code = ?4, city = ?5, country = ?6, tax_id = ?7,
                    email = ?8, phone = ?9, bank_name = ?10, iban = ?11, bic = ?12,
                    default_currency = ?13, locale = ?14, default_tax_rate_e2 = ?15,
                    payment_terms_days = ?16, invoice_number_template = ?17,
                    credit_note_number_template = ?18, paper_size = ?19, churn_e2 = ?20,
                    estimator_coefficients = ?21, updated_at = ?22",
                params![
                    s.company_name,
                    s.address_line1,
                    s.address_line2,
                    s.postal_code,
                    s.city,
                    s.country,
                    s.tax_id,
                    s.email,
                    s.phone,
                    s.bank_name,
                    s.iban,
                    s.bic,
                    s.default_currency.code(),
                    s.locale,
                    tax,
                    s.payment_terms_days,
                    s.invoice_number_template,
                    s.credit_note_number_template,
                    paper,
                    churn,
                    coefficients,
                    now()
                ],
            )
            .db()?;
            tx.execute(
                "UPDATE settings SET tax_number = ?1, legal_registration = ?2,
                    managing_directors = ?3, contact_name = ?4, electronic_address = ?5,
                    small_business = ?6, oss = ?7, oss_rates = ?8, quote_validity_days = ?9,
                    quote_terms = ?10, hours_increment_e2 = ?11
                 WHERE id = 1",
                params![
                    s.tax_number,
                    s.legal_registration,
                    s.managing_directors,
                    s.contact_name,
                    s.electronic_address,
                    s.small_business,
                    s.oss,
                    serde_json::to_string(
                        &s.oss_rates
                            .iter()
                            .map(|(c, r)| (c.clone(), r.normalize().to_string()))
                            .collect::<std::collections::BTreeMap<_, _>>()
                    )
                    .map_err(|e| internal(e.to_string()))?,
                    s.quote_validity_days,
                    s.quote_terms,
                    to_scaled(s.hours_increment, 2)?
                ],
            )
            .db()?;
            Ok(())
        })?;
        Ok(s)
    }

    /// The company logo, if one was chosen.
    pub fn logo(&self) -> Result<Option<Vec<u8>>> {
        let logo = self
            .conn()
            .query_row("SELECT logo FROM settings WHERE id = 1", [], |r| r.get(0))
            .optional()
            .db()?;
        Ok(logo.flatten())
    }

    /// Stores (or with `None` removes) the logo; the bytes are checked first.
    pub fn set_logo(&mut self, logo: Option<&[u8]>) -> Result<()> {
        if let Some(bytes) = logo {
            vardesk_core::settings::check_logo(bytes)?;
        }
        self.require_settings()?;
        self.write(|tx| {
            tx.execute("UPDATE settings SET logo = ?1 WHERE id = 1", [logo])
                .db()?;
            Ok(())
        })
    }

    /// Records that the first-run sample-data question was answered (either way).
    pub fn mark_sample_data_answered(&mut self) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE settings SET sample_data_answered = 1 WHERE id = 1",
                [],
            )
            .db()?;
            Ok(())
        })
    }

    /// The settings, or a sentence saying the profile must be created first.
    pub fn require_settings(&self) -> Result<Settings> {
        self.settings()?.ok_or_else(|| {
            CoreError::new(
                vardesk_core::ErrorCode::NotFound,
                "The company profile has not been set up yet.",
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::temp_store;
    use vardesk_core::settings::SettingsForm;

    #[test]
    fn settings_round_trip_and_update() {
        let (_dir, mut store) = temp_store();
        assert!(store.settings().unwrap().is_none());
        let mut form = SettingsForm {
            company_name: "Contoso IT".into(),
            ..SettingsForm::first_run()
        };
        form.default_tax_rate_percent = "7.7".into();
        let saved = store.save_settings(&form).unwrap();
        assert_eq!(store.settings().unwrap().unwrap(), saved);
        form.company_name = "Contoso IT GmbH".into();
        store.save_settings(&form).unwrap();
        let again = store.settings().unwrap().unwrap();
        assert_eq!(again.company_name, "Contoso IT GmbH");
        assert_eq!(again.default_tax_rate_percent.to_string(), "7.7");
    }

    #[test]
    fn logos_are_checked_stored_and_removed() {
        let (_dir, mut store) = temp_store();
        let form = SettingsForm {
            company_name: "Contoso IT".into(),
            ..SettingsForm::first_run()
        };
        store.save_settings(&form).unwrap();
        assert!(store.set_logo(Some(b"GIF89a....")).is_err());
        let png = b"\x89PNG\r\n\x1a\nrest".to_vec();
        store.set_logo(Some(&png)).unwrap();
        assert_eq!(store.logo().unwrap(), Some(png));
        store.save_settings(&form).unwrap();
        assert!(
            store.logo().unwrap().is_some(),
            "saving the profile keeps the logo"
        );
        store.set_logo(None).unwrap();
        assert_eq!(store.logo().unwrap(), None);
    }

    #[test]
    fn invalid_settings_save_nothing() {
        let (_dir, mut store) = temp_store();
        let err = store.save_settings(&SettingsForm::first_run()).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("company_name"));
        assert!(store.settings().unwrap().is_none());
    }
}
