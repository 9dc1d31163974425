//! Hostile and bad input: whatever a form, a file or a script sends is either accepted or
//! refused with a sentence naming the field; nothing panics. Each form is filled field by
//! field with generated strings (arbitrary Unicode, number-like junk, huge numbers), and the
//! file parsers get arbitrary bytes. Bounded runs: the cases are many, the time is seconds.

use std::collections::HashSet;

use proptest::prelude::*;
use proptest::test_runner::Config;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use vardesk_core::annuity::AssumptionsForm;
use vardesk_core::catalog::CatalogForm;
use vardesk_core::customer::{parse_customer_csv, CustomerDefaults, CustomerForm};
use vardesk_core::inventory::parse_inventory;
use vardesk_core::invoicing::{DraftForm, DraftLineForm, SubscriptionForm};
use vardesk_core::money::{parse_decimal, parse_typed_decimal, parse_user_decimal};
use vardesk_core::quote::{EstimatorForm, LineForm};
use vardesk_core::{CoreError, Currency, FieldError};

/// What a person, a paste or a script can put into a text field.
fn field_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[-+0-9.,eE ]{0,40}",
        "[0-9]{1,40}([.,][0-9]{0,30})?",
        Just("NaN".to_string()),
        Just("1e5".to_string()),
        Just("--5".to_string()),
        Just("<script>alert(1)</script>".to_string()),
        Just("\u{202e}gnp.exe".to_string()),
        Just("🧾💶".to_string()),
        "[0-9]{1,3}",
    ]
}

/// Sets every string of a form (nested ones too) to the next generated text.
fn fill(value: &mut Value, texts: &mut impl Iterator<Item = String>) {
    match value {
        Value::String(s) => *s = texts.next().unwrap_or_default(),
        Value::Object(map) => map.values_mut().for_each(|v| fill(v, texts)),
        Value::Array(items) => items.iter_mut().for_each(|v| fill(v, texts)),
        _ => {}
    }
}

fn filled<T: Serialize + DeserializeOwned>(form: T, texts: &[String]) -> T {
    let mut value = serde_json::to_value(form).unwrap();
    let mut it = texts.iter().cycle().cloned();
    fill(&mut value, &mut it);
    serde_json::from_value(value).unwrap()
}

fn sentence_errors(errors: &[FieldError]) -> Result<(), TestCaseError> {
    prop_assert!(!errors.is_empty(), "a refusal names at least one field");
    for e in errors {
        prop_assert!(!e.field.is_empty() && !e.message.trim().is_empty(), "{e:?}");
    }
    Ok(())
}

fn refused_with_a_sentence(e: &CoreError) -> Result<(), TestCaseError> {
    prop_assert!(!e.message.trim().is_empty());
    sentence_errors(&e.fields).or_else(|_| {
        prop_assert!(e.field.is_some(), "{e:?}");
        Ok(())
    })
}

fn defaults() -> CustomerDefaults {
    CustomerDefaults {
        currency: Currency::EUR,
        payment_terms_days: 14,
    }
}

proptest! {
    #![proptest_config(Config { cases: 400, ..Config::default() })]

    #[test]
    fn number_parsers_answer_every_string(text in field_text()) {
        for parse in [parse_decimal, parse_user_decimal, parse_typed_decimal] {
            if let Err(e) = parse("amount", &text) {
                prop_assert_eq!(e.field.as_deref(), Some("amount"));
                prop_assert!(!e.message.is_empty());
            }
        }
    }

    #[test]
    fn every_form_accepts_or_names_what_is_wrong(texts in prop::collection::vec(field_text(), 1..30)) {
        let line = LineForm { kind: "monthly".into(), ..LineForm::default() };
        let mut errors = Vec::new();
        if filled(line, &texts).validate(0, &mut errors).is_none() {
            sentence_errors(&errors)?;
        }
        let mut errors = Vec::new();
        if filled(EstimatorForm::default(), &texts).validate(&mut errors).is_none() {
            sentence_errors(&errors)?;
        }
        if let Err(errors) = filled(CustomerForm::default(), &texts).validate(&defaults()) {
            sentence_errors(&errors)?;
        }
        if let Err(errors) = filled(CatalogForm::default(), &texts).validate() {
            sentence_errors(&errors)?;
        }
        let sub = SubscriptionForm { customer_id: Some(1), ..SubscriptionForm::default() };
        if let Err(e) = filled(sub, &texts).validate() {
            refused_with_a_sentence(&e)?;
        }
        let draft = DraftForm { customer_id: Some(1), lines: vec![DraftLineForm::default(); 2], ..DraftForm::default() };
        if let Err(e) = filled(draft, &texts).validate() {
            refused_with_a_sentence(&e)?;
        }
        if let Err(e) = filled(AssumptionsForm::default(), &texts).validate() {
            refused_with_a_sentence(&e)?;
        }
    }

    #[test]
    fn the_file_parsers_take_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..3000)) {
        let _ = parse_customer_csv(&bytes, &defaults(), &HashSet::new(), &Default::default());
        let _ = parse_inventory(&bytes);
    }

    #[test]
    fn csv_shaped_junk_is_read_row_by_row(rows in prop::collection::vec(prop::collection::vec(field_text(), 1..6), 0..20)) {
        let mut text = String::from("name;email;mailboxes;mailbox_gb;country\n");
        for row in &rows {
            text.push_str(&row.join(";"));
            text.push('\n');
        }
        if let Ok(preview) = parse_customer_csv(text.as_bytes(), &defaults(), &HashSet::new(), &Default::default()) {
            for error in &preview.summary.errors {
                prop_assert!(!error.reason.trim().is_empty());
            }
        }
    }
}

/// The amounts the issue names, in a line's quantity and price: refused, with the line and
/// field named, never taken as something else.
#[test]
fn the_usual_bad_amounts_are_refused_by_name() {
    let bad = [
        "1e5",
        "NaN",
        "1,2,3",
        "--5",
        "123456789012345678901234567890",
        "-3",
        "∞",
        "0x10",
        "5-",
        "1.2.3,4",
    ];
    for text in bad {
        for field in ["quantity", "unit_price"] {
            let mut form = LineForm {
                kind: "one_time".into(),
                description: "Migration".into(),
                quantity: "1".into(),
                unit_price: "100".into(),
                ..LineForm::default()
            };
            match field {
                "quantity" => form.quantity = text.into(),
                _ => form.unit_price = text.into(),
            }
            let mut errors = Vec::new();
            assert!(
                form.validate(0, &mut errors).is_none(),
                "{field} = {text:?} was accepted"
            );
            assert!(
                errors
                    .iter()
                    .any(|e| e.field == format!("lines[0].{field}") && !e.message.is_empty()),
                "{field} = {text:?}: {errors:?}"
            );
        }
    }
}
