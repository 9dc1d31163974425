//! What customer documents say, in the customer's language (DOMAIN.md §9). The texts are
//! data: one JSON file per language under `lang/`, every file with every key (a test names
//! any that is missing). Placeholders are `{name}`.

use std::collections::HashMap;
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};

use crate::language::LANGUAGES;

const FILES: [(&str, &str); 9] = [
    ("en", include_str!("../lang/en.json")),
    ("de", include_str!("../lang/de.json")),
    ("fr", include_str!("../lang/fr.json")),
    ("nl", include_str!("../lang/nl.json")),
    ("es", include_str!("../lang/es.json")),
    ("it", include_str!("../lang/it.json")),
    ("pl", include_str!("../lang/pl.json")),
    ("sv", include_str!("../lang/sv.json")),
    ("da", include_str!("../lang/da.json")),
];

/// One language's texts, with how it writes dates and numbers.
#[derive(Debug)]
pub struct Texts {
    pub language: &'static str,
    map: HashMap<String, String>,
}

/// The texts of `FILES[index]`, parsed the first time they are asked for: a document needs
/// one language, and parsing all nine was a tenth of a `vardesk invoices pdf` process.
fn parsed(index: usize) -> &'static Texts {
    static PARSED: [OnceLock<Texts>; FILES.len()] = [const { OnceLock::new() }; FILES.len()];
    PARSED[index].get_or_init(|| {
        let (language, json) = FILES[index];
        Texts {
            language,
            // The files ship inside the binary and a test reads every one of them.
            map: serde_json::from_str(json).unwrap_or_default(),
        }
    })
}

fn english() -> &'static Texts {
    parsed(0)
}

/// The texts of a language (`en` for one VarDesk does not print in).
pub fn texts(language: &str) -> &'static Texts {
    parsed(
        FILES
            .iter()
            .position(|(code, _)| *code == language)
            .unwrap_or(0),
    )
}

impl Texts {
    /// The text of `key`; English when this language lacks it (a test forbids that), the
    /// key itself when English does too.
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.map
            .get(key)
            .or_else(|| english().map.get(key))
            .map_or(key, String::as_str)
    }

    /// The text of `key` with each `{name}` replaced.
    pub fn fill(&self, key: &str, values: &[(&str, &str)]) -> String {
        let mut text = self.get(key).to_string();
        for (name, value) in values {
            text = text.replace(&format!("{{{name}}}"), value);
        }
        text
    }

    /// The locale whose digits and dates this language prints: the company's own when it
    /// speaks this language (en-US stays en-US), else the language's usual one.
    pub fn locale<'a>(&self, company_locale: &'a str) -> &'a str {
        if company_locale.split('-').next() == Some(self.language) {
            return company_locale;
        }
        match self.language {
            "de" => "de-DE",
            "fr" => "fr-FR",
            "nl" => "nl-NL",
            "es" => "es-ES",
            "it" => "it-IT",
            "pl" => "pl-PL",
            "sv" => "sv-SE",
            "da" => "da-DK",
            _ => "en-GB",
        }
    }

    /// A date as this language writes it: `27.11.2026`, `27/11/2026`, `27 Nov 2026`…
    pub fn date(&self, date: NaiveDate, locale: &str) -> String {
        match locale {
            "en-US" => date.format("%m/%d/%Y").to_string(),
            l if l.starts_with("en") => format!(
                "{} {} {}",
                date.day(),
                &self.month(date.month())[..3],
                date.year()
            ),
            "fr-FR" | "es-ES" | "it-IT" => date.format("%d/%m/%Y").to_string(),
            "nl-NL" | "da-DK" => date.format("%d-%m-%Y").to_string(),
            "sv-SE" => date.format("%Y-%m-%d").to_string(),
            _ => date.format("%d.%m.%Y").to_string(),
        }
    }

    /// A month as a heading or a service period: `January 2027`, `Januar 2027`.
    pub fn month_year(&self, date: NaiveDate) -> String {
        format!("{} {}", self.month(date.month()), date.year())
    }

    /// What a billed line covers: `November 2026`, `November 2026 (prorated 10/30 days)`,
    /// or an annual charge's `November 2026 – October 2027`.
    pub fn billed_period(
        &self,
        bill: &crate::billing::BillLine,
        period: crate::billing::Period,
    ) -> String {
        let first = self.month_year(period.first_day());
        match (bill.active_days, bill.period_label.as_deref()) {
            (Some(active), _) if active < bill.days_in_month => self.fill(
                "billing.prorated",
                &[
                    ("period", &first),
                    ("active", &active.to_string()),
                    ("days", &bill.days_in_month.to_string()),
                ],
            ),
            (None, Some(_)) => format!(
                "{first} – {}",
                self.month_year(period.plus_months(bill.months.max(1) - 1).first_day())
            ),
            _ => first,
        }
    }

    /// A line billing seats added to a licence for the rest of the period (§10): `3 seats
    /// added, 20 Nov 2026 – 30 Nov 2026 (prorated 11/30 days)`.
    pub fn added_seats(
        &self,
        seats: &str,
        from: NaiveDate,
        to: NaiveDate,
        active: u32,
        days: u32,
        locale: &str,
    ) -> String {
        self.fill(
            "billing.added_seats",
            &[
                ("seats", seats),
                ("from", &self.date(from, locale)),
                ("to", &self.date(to, locale)),
                ("active", &active.to_string()),
                ("days", &days.to_string()),
            ],
        )
    }

    /// A credit note's reason for seats removed within their window (§10).
    pub fn removed_seats(
        &self,
        seats: &str,
        from: NaiveDate,
        to: NaiveDate,
        locale: &str,
    ) -> String {
        self.fill(
            "credit.removed_seats",
            &[
                ("seats", seats),
                ("from", &self.date(from, locale)),
                ("to", &self.date(to, locale)),
            ],
        )
    }

    fn month(&self, month: u32) -> &str {
        match month {
            1..=12 => self.get(MONTH_KEYS[month as usize - 1]),
            _ => "",
        }
    }

    /// A country's name from its code; the code itself for one the files do not name.
    pub fn country(&self, code: &str) -> String {
        let key = format!("country.{}", code.trim().to_ascii_uppercase());
        match self.map.get(&key) {
            Some(name) => name.clone(),
            None => code.trim().to_string(),
        }
    }

    /// A unit as typed (`seat/month`, `hours`) with the words the files know translated.
    pub fn unit(&self, unit: &str) -> String {
        let mut out = String::with_capacity(unit.len());
        let mut word = String::new();
        let flush = |word: &mut String, out: &mut String| {
            if !word.is_empty() {
                let key = format!("unit.{}", word.to_lowercase());
                match self.map.get(&key) {
                    Some(t) => out.push_str(t),
                    None => out.push_str(word),
                }
                word.clear();
            }
        };
        for c in unit.chars() {
            if c.is_alphabetic() {
                word.push(c);
            } else {
                flush(&mut word, &mut out);
                out.push(c);
            }
        }
        flush(&mut word, &mut out);
        out
    }
}

const MONTH_KEYS: [&str; 12] = [
    "month.1", "month.2", "month.3", "month.4", "month.5", "month.6", "month.7", "month.8",
    "month.9", "month.10", "month.11", "month.12",
];

/// The post code and city line as the country writes it: `10117 Berlin`, `Seattle 98101`
/// (US, CA, AU: city first), `London SW1A 1AA` (GB, IE).
pub fn place(postal_code: &str, city: &str, country: &str) -> String {
    let (postal_code, city) = (postal_code.trim(), city.trim());
    let city_first = matches!(
        country.trim().to_ascii_uppercase().as_str(),
        "US" | "CA" | "AU" | "GB" | "IE" | "XI"
    );
    let parts = if city_first {
        [city, postal_code]
    } else {
        [postal_code, city]
    };
    parts
        .iter()
        .filter(|p| !p.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The small-business exemption's legal basis in the company's country (§9).
pub fn small_business_law(company_country: &str) -> &'static str {
    match company_country.trim().to_ascii_uppercase().as_str() {
        "DE" => "§ 19 UStG",
        "AT" => "§ 6 Abs. 1 Z 27 UStG",
        "FR" => "art. 293 B du CGI",
        "BE" => "art. 56bis WBTW",
        "NL" => "art. 25 Wet OB",
        "LU" => "art. 57 LTVA",
        "IT" => "art. 1, c. 54-89, L. 190/2014",
        "ES" => "art. 20 LIVA",
        "PL" => "art. 113 ustawy o VAT",
        "SE" => "18 kap. mervärdesskattelagen",
        "DK" => "momslovens § 48",
        _ => "Article 284, Council Directive 2006/112/EC",
    }
}

/// Every language file VarDesk ships, for the completeness test.
pub fn languages() -> impl Iterator<Item = &'static str> {
    LANGUAGES.iter().copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_file_has_every_key_and_no_other() {
        let english: &HashMap<String, String> = &english().map;
        assert!(english.len() > 100, "en.json was read");
        let mut problems = Vec::new();
        for (language, json) in FILES {
            let map: HashMap<String, String> = serde_json::from_str(json)
                .unwrap_or_else(|e| panic!("lang/{language}.json is not valid JSON: {e}"));
            for key in english.keys() {
                match map.get(key) {
                    None => problems.push(format!("lang/{language}.json lacks \"{key}\"")),
                    Some(text) if text.trim().is_empty() => {
                        problems.push(format!("lang/{language}.json has \"{key}\" empty"))
                    }
                    Some(text) => {
                        // Every placeholder of the English text is kept.
                        for part in english[key].split('{').skip(1) {
                            let name = part.split('}').next().unwrap_or("");
                            if !text.contains(&format!("{{{name}}}")) {
                                problems.push(format!(
                                    "lang/{language}.json \"{key}\" lacks {{{name}}}"
                                ));
                            }
                        }
                    }
                }
            }
            for key in map.keys() {
                if !english.contains_key(key) {
                    problems.push(format!("lang/{language}.json has \"{key}\" that en lacks"));
                }
            }
        }
        assert_eq!(
            languages().collect::<Vec<_>>(),
            FILES.iter().map(|(l, _)| *l).collect::<Vec<_>>()
        );
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn dates_months_countries_and_units_follow_the_language() {
        let d: NaiveDate = "2026-11-27".parse().unwrap();
        let de = texts("de");
        assert_eq!(de.date(d, de.locale("en-GB")), "27.11.2026");
        assert_eq!(texts("fr").date(d, "fr-FR"), "27/11/2026");
        assert_eq!(texts("en").date(d, "en-GB"), "27 Nov 2026");
        assert_eq!(texts("en").date(d, "en-US"), "11/27/2026");
        assert_eq!(de.month_year("2027-01-01".parse().unwrap()), "Januar 2027");
        assert_eq!(de.country("nl"), "Niederlande");
        assert_eq!(de.country("ZZ"), "ZZ");
        assert_eq!(de.unit("seat/month"), "Lizenz/Monat");
        assert_eq!(texts("fr").unit("Hours"), "heures");
        assert_eq!(de.unit("Pauschale"), "Pauschale");
        assert_eq!(
            de.fill("payment.bank", &[("bank", "X")]),
            "Bankverbindung: X."
        );
        assert_eq!(texts("xx").language, "en");
        assert_eq!(texts("en").locale("en-US"), "en-US");
        assert_eq!(place("98101", "Seattle", "US"), "Seattle 98101");
        assert_eq!(place("10117", "Berlin", "DE"), "10117 Berlin");
        assert_eq!(place("", "Cork", "IE"), "Cork");
        let period = crate::billing::Period::of("2026-11-01".parse().unwrap());
        let prorated = crate::billing::BillLine {
            due: true,
            amount: None,
            active_days: Some(10),
            days_in_month: 30,
            period_label: None,
            months: 1,
        };
        assert_eq!(
            de.billed_period(&prorated, period),
            "November 2026 (anteilig 10/30 Tage)"
        );
        let annual = crate::billing::BillLine {
            active_days: None,
            period_label: Some("x".into()),
            months: 12,
            ..prorated
        };
        assert_eq!(
            texts("fr").billed_period(&annual, period),
            "novembre 2026 – octobre 2027"
        );
        assert_eq!(texts("de").locale("en-US"), "de-DE");
    }
}
