//! Amounts and numbers as documents print them, in the user's locale. Only digits the
//! engine computed are regrouped; nothing is re-rounded here except to the currency.

use rust_decimal::Decimal;

use crate::money::Currency;

/// (group separator, decimal mark) for a locale of the settings.
fn separators(locale: &str) -> (&'static str, &'static str) {
    match locale {
        "de-DE" | "nl-NL" | "es-ES" | "da-DK" | "it-IT" => (".", ","),
        "de-CH" => ("’", "."),
        "fr-FR" | "pl-PL" | "sv-SE" => ("\u{a0}", ","),
        _ => (",", "."),
    }
}

/// `1234.5` → `1,234.5` (en-GB) or `1.234,5` (de-DE); trailing zeros are kept as given.
pub fn format_decimal(value: Decimal, locale: &str) -> String {
    let (group, mark) = separators(locale);
    let text = value.to_string();
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let mut grouped = String::with_capacity(int.len() + int.len() / 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push_str(group);
        }
        grouped.push(c);
    }
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}{mark}{frac}")
    }
}

/// A money amount with exactly the currency's decimals and its code: `1.234,50 EUR`.
pub fn format_money(amount: Decimal, currency: Currency, locale: &str) -> String {
    format!(
        "{} {}",
        format_decimal(currency.round(amount), locale),
        currency.code()
    )
}

/// A unit price: at least the currency's decimals, more when the price has them (0.335).
pub fn format_price(price: Decimal, currency: Currency, locale: &str) -> String {
    let mut shown = price.normalize();
    if shown.scale() < currency.minor_units() {
        shown.rescale(currency.minor_units());
    }
    format_decimal(shown, locale)
}

/// A quantity without needless zeros: `14.25`, `45`.
pub fn format_quantity(value: Decimal, locale: &str) -> String {
    format_decimal(value.normalize(), locale)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn locales_group_and_mark() {
        let d = |s| Decimal::from_str(s).unwrap();
        assert_eq!(
            format_money(d("1234567.5"), Currency::EUR, "de-DE"),
            "1.234.567,50 EUR"
        );
        assert_eq!(format_money(d("-0.5"), Currency::EUR, "en-GB"), "-0.50 EUR");
        assert_eq!(
            format_money(d("1234"), Currency::parse("JPY").unwrap(), "en-US"),
            "1,234 JPY"
        );
        assert_eq!(format_quantity(d("14.2500"), "fr-FR"), "14,25");
        assert_eq!(format_decimal(d("1234.5"), "de-CH"), "1’234.5");
        assert_eq!(format_price(d("0.335"), Currency::EUR, "en-GB"), "0.335");
        assert_eq!(format_price(d("125"), Currency::EUR, "de-DE"), "125,00");
    }
}

/// A document's number or title as a file name on any system: characters Windows, macOS or
/// Linux refuse in a name (`/ \ : * ? " < > |` and control characters) become `-`; a
/// template like `RE/{YYYY}/{SEQ}` gives `RE-2026-1`. Letters of any language and spaces stay.
pub fn file_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '-'
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod file_name_tests {
    use super::file_name;

    #[test]
    fn names_no_file_system_refuses() {
        assert_eq!(file_name("RE/2026/1"), "RE-2026-1");
        assert_eq!(file_name(r#"a\b:c*d?e"f<g>h|i"#), "a-b-c-d-e-f-g-h-i");
        assert_eq!(
            file_name("Angebot Müller & Söhne.pdf"),
            "Angebot Müller & Söhne.pdf"
        );
        assert_eq!(file_name("tab\there\nnew"), "tab-here-new");
    }
}
