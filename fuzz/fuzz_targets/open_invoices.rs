//! The open-invoice import (DOMAIN.md §11) on arbitrary bytes: other tools' amounts and
//! dates, column mapping, a preview or a sentence, never a panic.
#![no_main]

use std::collections::{BTreeMap, HashSet};

use libfuzzer_sys::fuzz_target;
use vardesk_core::open_invoices::{
    parse_open_invoices_csv, read_amount, read_date, KnownCustomer, OpenInvoiceContext,
};
use vardesk_core::Currency;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        for currency in [Currency::EUR, Currency::parse("JPY").unwrap()] {
            if let Some(amount) = read_amount(text, currency) {
                assert_eq!(currency.round(amount), amount);
            }
        }
        let _ = read_date(text, true);
        let _ = read_date(text, false);
    }
    let customers = [KnownCustomer {
        id: 1,
        name: "Contoso".into(),
        currency: Currency::EUR,
        payment_terms_days: 14,
        buyer_reference: "K1".into(),
    }];
    let ctx = OpenInvoiceContext {
        customers: &customers,
        existing_numbers: &HashSet::new(),
        template: "INV-{YYYY}-{SEQ:4}",
        taken: &BTreeMap::new(),
        month_first: false,
    };
    if let Ok(preview) = parse_open_invoices_csv(data, &Default::default(), &ctx) {
        assert!(preview.summary.valid <= preview.summary.rows);
        for inv in &preview.invoices {
            assert!(inv.open > rust_decimal::Decimal::ZERO && inv.open <= inv.total);
            assert!(inv.due_date >= inv.issue_date);
        }
    }
});
