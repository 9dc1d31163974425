//! The SEPA payment QR code (EPC069-12, "GiroCode"): what a banking app reads to fill in a
//! credit transfer. Euro invoices with an IBAN only, amounts from 0.01 to 999,999,999.99.

use rust_decimal::Decimal;

use crate::money::Currency;

/// The QR code's text (version 002, UTF-8, SEPA credit transfer): BIC, name, IBAN, amount
/// and the invoice number as the remittance text; `None` when no such transfer can be asked
/// for (another currency, no IBAN, nothing to pay).
pub fn payload(
    name: &str,
    iban: &str,
    bic: &str,
    amount: Decimal,
    currency: Currency,
    remittance: &str,
) -> Option<String> {
    let iban: String = iban.chars().filter(|c| !c.is_whitespace()).collect();
    let bic: String = bic.chars().filter(|c| !c.is_whitespace()).collect();
    let amount = currency.round(amount);
    let in_range = amount >= Decimal::new(1, 2) && amount <= Decimal::new(99_999_999_999, 2);
    if currency != Currency::EUR || iban.len() < 15 || !in_range {
        return None;
    }
    let mut shown = amount;
    shown.rescale(2);
    // Field limits: name 70 characters, remittance text 140; one line each.
    let line = |text: &str, max: usize| -> String {
        text.chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .take(max)
            .collect::<String>()
            .trim()
            .to_string()
    };
    Some(
        [
            "BCD".to_string(),
            "002".into(),
            "1".into(),
            "SCT".into(),
            bic,
            line(name, 70),
            iban,
            format!("EUR{shown}"),
            String::new(),
            String::new(),
            line(remittance, 140),
        ]
        .join("\n"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_payload_follows_epc069_12() {
        let text = payload(
            "Northwind Cloud Partners GmbH",
            "DE43 1007 0000 0123 4567 00",
            "DEUTDEBBXXX",
            "476.42".parse().unwrap(),
            Currency::EUR,
            "INV-2026-0095",
        )
        .unwrap();
        assert_eq!(
            text,
            "BCD\n002\n1\nSCT\nDEUTDEBBXXX\nNorthwind Cloud Partners GmbH\nDE43100700000123456700\nEUR476.42\n\n\nINV-2026-0095"
        );
        let usd = Currency::parse("USD").unwrap();
        assert!(payload("X", "DE43100700000123456700", "", Decimal::ONE, usd, "I").is_none());
        assert!(payload("X", "", "", Decimal::ONE, Currency::EUR, "I").is_none());
        assert!(payload(
            "X",
            "DE43100700000123456700",
            "",
            Decimal::ZERO,
            Currency::EUR,
            "I"
        )
        .is_none());
    }
}
