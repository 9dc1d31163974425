//! The distributor's bill (DOMAIN.md §10) on arbitrary bytes: any encoding and separator,
//! Partner Center's columns or a distributor's, read as a stream and reconciled against a
//! small book; a result or a sentence, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vardesk_core::billing::{Interval, Period, SubscriptionTerms};
use vardesk_core::nce::{Billing, Term};
use vardesk_core::reconcile::{read_bill, reconcile, BillCustomer, BillSubscription};
use vardesk_core::Currency;

fuzz_target!(|data: &[u8]| {
    let Ok(bill) = read_bill(data, &Default::default()) else {
        return;
    };
    assert!(bill.summary.valid <= bill.summary.rows);
    let start = chrono::NaiveDate::from_ymd_opt(2026, 1, 31).unwrap();
    let customers = [BillCustomer {
        id: 1,
        name: "Contoso".into(),
        tenant_id: "11111111-2222-3333-4444-555555555555".into(),
        tenant_domain: "contoso.onmicrosoft.com".into(),
    }];
    let subs = [BillSubscription {
        id: 1,
        customer_id: 1,
        description: "Microsoft 365 Business Standard".into(),
        currency: Currency::EUR,
        terms: SubscriptionTerms {
            quantity: 10.into(),
            unit_price: rust_decimal::Decimal::new(1250, 2),
            interval: Interval::Monthly,
            start_date: start,
            end_date: None,
            discount_percent: None,
            bill_from: None,
            anniversary: None,
        },
        unit_cost: rust_decimal::Decimal::new(1080, 2),
        ms_subscription_id: String::new(),
        ms_product_id: "CFQ7TTC0LDPB".into(),
        ms_sku_id: "0001".into(),
        licence: Some((Term::P3Y, Billing::Annual, start, vardesk_core::nce::term_end(start, Term::P3Y))),
    }];
    let r = reconcile(&bill, &customers, &subs, Period::of(start));
    assert!(r.matched <= r.groups);
    let _ = vardesk_core::reconcile::report_csv(&r);
});
