//! The customer CSV import (DOMAIN.md §8) on arbitrary bytes: a preview or a sentence,
//! never a panic.
#![no_main]

use std::collections::HashSet;

use libfuzzer_sys::fuzz_target;
use vardesk_core::customer::{parse_customer_csv, CustomerDefaults};
use vardesk_core::Currency;

fuzz_target!(|data: &[u8]| {
    let defaults = CustomerDefaults {
        currency: Currency::EUR,
        payment_terms_days: 14,
    };
    let existing: HashSet<String> = ["contoso".to_string()].into_iter().collect();
    if let Ok(preview) = parse_customer_csv(data, &defaults, &existing, &Default::default()) {
        assert!(preview.summary.valid <= preview.summary.rows);
        for e in &preview.summary.errors {
            assert!(!e.reason.is_empty());
        }
    }
});
