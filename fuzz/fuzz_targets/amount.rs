//! Amounts as people type them and files carry them: every string is a number or a
//! sentence naming the field, and an accepted number reads back as itself.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vardesk_core::money::{parse_decimal, parse_typed_decimal, parse_user_decimal};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for parse in [parse_decimal, parse_user_decimal, parse_typed_decimal] {
        match parse("amount", text) {
            Ok(value) => {
                let again = parse_decimal("amount", &value.to_string())
                    .expect("a parsed amount reads back");
                assert_eq!(again, value);
            }
            Err(e) => assert!(e.field.as_deref() == Some("amount") && !e.message.is_empty()),
        }
    }
});
