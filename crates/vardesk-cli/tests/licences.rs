//! Microsoft licences from a script (CLI.md, DOMAIN.md §10): tenants and terms on the
//! command line, seats changed inside and outside their 7-day window, and the distributor's
//! bill reconciled with the JSON CLI.md promises.

use chrono::{Days, Local};
use serde_json::Value;

mod common;
use common::Books;

const TENANT: &str = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
const MS_SUB: &str = "4c5a3b2e-1f0d-4e9c-8b7a-6d5c4b3a2f10";

fn books() -> (Books, String) {
    let books = Books::empty();
    books.ok(&["init", "--company", "Acme IT GmbH", "--country", "DE"]);
    books.ok(&["settings", "set", "vat_id", "DE136695976"]);
    books.ok(&["settings", "set", "iban", "DE89 3704 0044 0532 0130 00"]);
    let customer = books.customer(&[
        "--name",
        "Contoso GmbH",
        "--tenant-id",
        &TENANT.to_uppercase(),
        "--tenant-domain",
        "Contoso.onmicrosoft.com",
    ]);
    (books, customer)
}

fn licence(books: &Books, customer: &str, seats: &str, start: &str, extra: &[&str]) -> i64 {
    let mut args = vec![
        "subscriptions",
        "add",
        "--customer",
        customer,
        "--description",
        "Microsoft 365 Business Standard",
        "--quantity",
        seats,
        "--price",
        "12.50",
        "--cost",
        "10.80",
        "--tax",
        "19",
        "--interval",
        "monthly",
        "--start",
        start,
        "--term",
        "P1Y",
        "--product-id",
        "CFQ7TTC0LDPB",
        "--sku-id",
        "0001",
    ];
    args.extend_from_slice(extra);
    books.json(&args)["id"].as_i64().unwrap()
}

fn row(books: &Books, id: i64) -> Value {
    let list = books.json(&["subscriptions", "list"]);
    list["subscriptions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .cloned()
        .unwrap()
}

#[test]
fn terms_and_tenants_are_checked_and_listed() {
    let (books, customer) = books();
    let err = books.refused(&["customers", "add", "--name", "Other", "--tenant-id", TENANT]);
    assert!(
        err.contains("Contoso GmbH already has this Microsoft tenant"),
        "{err}"
    );
    books.refused(&[
        "customers",
        "add",
        "--name",
        "Bad",
        "--tenant-id",
        "not-a-guid",
    ]);
    let err = books.refused(&[
        "subscriptions",
        "add",
        "--customer",
        &customer,
        "--description",
        "X",
        "--quantity",
        "1",
        "--price",
        "1",
        "--tax",
        "19",
        "--interval",
        "annual",
        "--start",
        "2026-11-01",
        "--term",
        "P1M",
    ]);
    assert!(err.contains("P1M"), "{err}");
    let id = licence(
        &books,
        &customer,
        "10",
        "2025-12-15",
        &["--ms-subscription-id", MS_SUB],
    );
    let r = row(&books, id);
    assert_eq!(
        (r["term"].as_str(), r["billing"].as_str()),
        (Some("P1Y"), Some("monthly"))
    );
    assert_eq!(r["ms_subscription_id"], MS_SUB);
    let co = licence(
        &books,
        &customer,
        "2",
        "2026-03-01",
        &["--coterm-with", &id.to_string()],
    );
    assert_eq!(
        row(&books, co)["term_end"],
        row(&books, id)["term_end"],
        "co-termed"
    );
    let refused = books.refused(&[
        "subscriptions",
        "add",
        "--customer",
        &customer,
        "--description",
        "Y",
        "--quantity",
        "1",
        "--price",
        "1",
        "--tax",
        "19",
        "--interval",
        "monthly",
        "--start",
        "2026-11-01",
        "--term",
        "P1M",
        "--ms-subscription-id",
        MS_SUB,
    ]);
    assert!(
        refused.contains("already has this Microsoft subscription id"),
        "{refused}"
    );
    // Three years paid upfront: the customer is billed once per term (§10).
    let mut args = vec![
        "subscriptions",
        "add",
        "--customer",
        customer.as_str(),
        "--description",
        "Microsoft 365 E3",
        "--quantity",
        "5",
        "--price",
        "1213.20",
        "--tax",
        "19",
        "--interval",
        "triennial",
        "--start",
        "2026-10-01",
        "--term",
        "P3Y",
    ];
    let p3y = books.json(&args)["id"].as_i64().unwrap();
    let r = row(&books, p3y);
    assert_eq!(
        (r["interval"].as_str(), r["billing"].as_str()),
        (Some("triennial"), Some("upfront"))
    );
    // October 2026: the three years (5 × 1,213.20 = 6,066.00) beside the monthly licences'
    // 125.00 and 25.00; a year later only the monthly ones.
    let run = books.json(&["billing", "run", "2026-10"]);
    assert_eq!(run["total"].as_str(), Some("6216.00"), "{run}");
    let later = books.json(&["billing", "run", "2027-10"]);
    assert_eq!(later["total"].as_str(), Some("150.00"), "{later}");
    args[17] = "P1Y";
    let err = books.refused(&args);
    assert!(err.contains("three-year"), "{err}");
}

#[test]
fn seats_go_at_once_inside_their_window_and_wait_for_the_renewal_outside() {
    let (books, customer) = books();
    let today = Local::now().date_naive();
    let fresh = licence(
        &books,
        &customer,
        "10",
        &(today - Days::new(2)).to_string(),
        &[],
    );
    let old = licence(
        &books,
        &customer,
        "10",
        &(today - Days::new(40)).to_string(),
        &[],
    );
    // Bought two days ago: the seats can still go.
    let r = books.json(&[
        "subscriptions",
        "edit",
        &fresh.to_string(),
        "--quantity",
        "7",
    ]);
    assert_eq!(
        (r["quantity"].as_str(), &r["scheduled_quantity"]),
        (Some("7"), &Value::Null)
    );
    // Bought 40 days ago: the reduction waits for the renewal; the seats stay billed.
    let r = books.json(&["subscriptions", "edit", &old.to_string(), "--quantity", "7"]);
    assert_eq!(
        (r["quantity"].as_str(), r["scheduled_quantity"].as_str()),
        (Some("10"), Some("7"))
    );
    let said = books.ok(&[
        "subscriptions",
        "edit",
        &old.to_string(),
        "--quantity",
        "12",
    ]);
    assert!(said.contains("2 seat(s) added"), "{said}");
    let r = row(&books, old);
    assert_eq!(
        (r["quantity"].as_str(), &r["scheduled_quantity"]),
        (Some("12"), &Value::Null)
    );
    // The two added seats are inside their own window now.
    let said = books.ok(&["subscriptions", "edit", &old.to_string(), "--quantity", "9"]);
    assert!(
        said.contains("2 seat(s) removed within their 7-day window"),
        "{said}"
    );
    assert!(said.contains("9 seat(s) from"), "{said}");
}

#[test]
fn a_bill_with_partner_center_columns_reconciles_to_the_documented_json() {
    let (books, customer) = books();
    let id = licence(
        &books,
        &customer,
        "10",
        "2025-12-15",
        &["--ms-subscription-id", MS_SUB],
    );
    let header =
        "PartnerId,CustomerId,CustomerName,CustomerDomainName,CustomerCountry,InvoiceNumber,\
        MpnId,ResellerMpnId,OrderId,OrderDate,ProductId,SkuId,AvailabilityId,SkuName,ProductName,\
        ChargeType,UnitPrice,Quantity,Subtotal,TaxTotal,Total,Currency,PriceAdjustmentDescription,\
        PublisherName,PublisherId,SubscriptionDescription,SubscriptionId,ChargeStartDate,\
        ChargeEndDate,TermAndBillingCycle,EffectiveUnitPrice,UnitType,AlternateId,\
        BillableQuantity,BillingFrequency,PricingCurrency,PCToBCExchangeRate,\
        PCToBCExchangeRateDate,MeterDescription,ReservationOrderId,CreditReasonCode,\
        SubscriptionStartDate,SubscriptionEndDate,ReferenceId,ProductQualifiers,PromotionId";
    let line = |sub: &str, tenant: &str, product: &str, seats: u32, unit: &str| {
        format!(
            "p,{tenant},Contoso,,DE,G1,,,o,11/1/2026,{product},0001,a,Licence,Licence,cycleCharge,\
             {unit},{seats},{},0,0,EUR,,Microsoft Corporation,x,,{sub},11/1/2026,11/30/2026,\
             One-Year commitment for monthly/yearly billing,{unit},,,{seats},Monthly,EUR,1,,,,,,,,,",
            unit.parse::<f64>().unwrap() * f64::from(seats)
        )
    };
    let bill = format!(
        "{header}\n{}\n{}\n",
        line(MS_SUB, TENANT, "CFQ7TTC0LDPB", 12, "10.80"),
        line("", TENANT, "CFQ7TTC0LH18", 3, "6.00"),
    );
    let path = books.dir.path().join("bill.csv");
    std::fs::write(&path, bill).unwrap();
    let before = books.json(&["subscriptions", "list"]);
    let r = books.json(&["reconcile", path.to_str().unwrap()]);
    assert_eq!(
        books.json(&["subscriptions", "list"]),
        before,
        "reads; changes nothing"
    );
    let findings = r["findings"].as_array().unwrap();
    let kinds: Vec<_> = findings
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["unbilled_seats", "unmatched_charge"], "{r}");
    let leak = &findings[0];
    for key in [
        "kind",
        "customer_id",
        "subscription_id",
        "ms_subscription_id",
        "sku",
        "quantity",
        "amount",
    ] {
        assert!(leak.get(key).is_some(), "{key} missing: {leak}");
    }
    assert_eq!(
        (
            leak["subscription_id"].as_i64(),
            leak["quantity"].as_str(),
            leak["amount"].as_str()
        ),
        (Some(id), Some("2"), Some("21.60"))
    );
    assert_eq!(findings[1]["subscription_id"], Value::Null);
    let c = &r["customers"][0];
    assert_eq!(
        (
            c["billed"].as_str(),
            c["cost"].as_str(),
            c["margin"].as_str()
        ),
        (Some("125.00"), Some("147.60"), Some("-22.60"))
    );
    let pdf = books.dir.path().join("report.pdf");
    books.ok(&[
        "reconcile",
        path.to_str().unwrap(),
        "--pdf",
        pdf.to_str().unwrap(),
    ]);
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
    // A bill whose columns cannot be matched is refused with a sentence.
    std::fs::write(&path, "Name,Seats\nA,1\n").unwrap();
    let err = books.refused(&["reconcile", path.to_str().unwrap()]);
    assert!(err.contains("Microsoft subscription id"), "{err}");
}
