use super::*;
use crate::billing::Interval;

const HEADER: &str = "PartnerId,CustomerId,CustomerName,CustomerDomainName,CustomerCountry,\
InvoiceNumber,MpnId,ResellerMpnId,OrderId,OrderDate,ProductId,SkuId,AvailabilityId,SkuName,\
ProductName,ChargeType,UnitPrice,Quantity,Subtotal,TaxTotal,Total,Currency,\
PriceAdjustmentDescription,PublisherName,PublisherId,SubscriptionDescription,SubscriptionId,\
ChargeStartDate,ChargeEndDate,TermAndBillingCycle,EffectiveUnitPrice,UnitType,AlternateId,\
BillableQuantity,BillingFrequency,PricingCurrency,PCToBCExchangeRate,PCToBCExchangeRateDate,\
MeterDescription,ReservationOrderId,CreditReasonCode,SubscriptionStartDate,SubscriptionEndDate,\
ReferenceId,ProductQualifiers,PromotionId";

const TENANT_A: &str = "11111111-2222-3333-4444-555555555555";
const TENANT_B: &str = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
const SUB_1: &str = "0a1b2c3d-0000-4000-8000-000000000001";
const SUB_2: &str = "0a1b2c3d-0000-4000-8000-000000000002";

/// One charge line in Partner Center's columns. `quantity` is written to Quantity as 99 so
/// that only BillableQuantity can give the right answer.
#[allow(clippy::too_many_arguments)]
fn line(
    tenant: &str,
    domain: &str,
    product: &str,
    sub: &str,
    charge: &str,
    unit: &str,
    quantity: &str,
    subtotal: &str,
    start: &str,
    frequency: &str,
) -> String {
    format!(
        "p,{tenant},Contoso,{domain},DE,G000,1,,o,11/1/2026,{product},0001,a,Microsoft 365 \
         Business Standard,Microsoft 365 Business Standard,{charge},{unit},99,{subtotal},0,\
         {subtotal},EUR,,Microsoft Corporation,x,,{sub},{start},11/30/2026,One-Year commitment \
         for monthly/yearly billing,{unit},,,{quantity},{frequency},EUR,1,11/1/2026,,,,\
         11/1/2025,10/31/2026,r,,"
    )
}

fn bill(lines: &[String]) -> Bill {
    let text = format!("{HEADER}\r\n{}\r\n", lines.join("\r\n"));
    read_bill(text.as_bytes(), &Choices::new()).unwrap()
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn customers() -> Vec<BillCustomer> {
    vec![
        BillCustomer {
            id: 1,
            name: "Contoso GmbH".into(),
            tenant_id: TENANT_A.into(),
            tenant_domain: "contoso.onmicrosoft.com".into(),
        },
        BillCustomer {
            id: 2,
            name: "Fabrikam AG".into(),
            tenant_id: String::new(),
            tenant_domain: "fabrikam.onmicrosoft.com".into(),
        },
    ]
}

fn sub(
    id: i64,
    customer_id: i64,
    seats: i64,
    licence: Option<(Term, Billing)>,
) -> BillSubscription {
    BillSubscription {
        id,
        customer_id,
        description: format!("Licence {id}"),
        currency: Currency::EUR,
        terms: SubscriptionTerms {
            quantity: Decimal::from(seats),
            unit_price: Decimal::new(1250, 2),
            interval: Interval::Monthly,
            start_date: d("2025-11-01"),
            end_date: None,
            discount_percent: None,
            bill_from: None,
            anniversary: None,
        },
        unit_cost: Decimal::new(1080, 2),
        ms_subscription_id: String::new(),
        ms_product_id: "CFQ7TTC0LDPB".into(),
        ms_sku_id: "0001".into(),
        licence: licence.map(|(t, b)| (t, b, d("2025-11-01"), nce::term_end(d("2025-11-01"), t))),
    }
}

fn november() -> Period {
    Period::parse("2026-11").unwrap()
}

#[test]
fn seats_charged_and_not_billed_are_found_by_subscription_id_with_their_cost() {
    let mut s = sub(7, 1, 10, Some((Term::P1Y, Billing::Monthly)));
    s.ms_subscription_id = SUB_1.into();
    let b = bill(&[line(
        TENANT_A,
        "",
        "CFQ7TTC0LDPB",
        SUB_1,
        "cycleCharge",
        "10.80",
        "12",
        "129.60",
        "11/1/2026",
        "Monthly",
    )]);
    assert_eq!(b.month, Some(november()));
    let r = reconcile(&b, &customers(), &[s], november());
    assert_eq!(r.findings.len(), 1, "{:?}", r.findings);
    let f = &r.findings[0];
    assert_eq!(f.kind, FindingKind::UnbilledSeats);
    assert_eq!(
        (f.quantity, f.amount),
        (Decimal::from(2), Decimal::new(2160, 2))
    );
    assert_eq!(
        f.fix,
        Some(Fix::SetQuantity {
            subscription_id: 7,
            quantity: Decimal::from(12)
        })
    );
    assert_eq!(f.sku, "CFQ7TTC0LDPB:0001");
    let m = &r.customers[0];
    assert_eq!(
        (m.billed, m.cost, m.margin),
        (
            Decimal::new(12500, 2),
            Decimal::new(12960, 2),
            Decimal::new(-460, 2)
        )
    );
}

#[test]
fn a_charge_without_a_known_id_matches_by_tenant_or_domain_and_product() {
    let subs = [
        sub(1, 1, 12, Some((Term::P1Y, Billing::Monthly))),
        sub(2, 2, 5, Some((Term::P1M, Billing::Monthly))),
    ];
    let b = bill(&[
        line(
            TENANT_A,
            "",
            "cfq7ttc0ldpb",
            SUB_1,
            "cycleCharge",
            "10.80",
            "12",
            "129.60",
            "11/1/2026",
            "Monthly",
        ),
        line(
            "",
            "Fabrikam.onmicrosoft.com",
            "CFQ7TTC0LDPB",
            SUB_2,
            "cycleCharge",
            "10.80",
            "5",
            "54.00",
            "11/1/2026",
            "Monthly",
        ),
    ]);
    let r = reconcile(&b, &customers(), &subs, november());
    assert!(r.findings.is_empty(), "{:?}", r.findings);
    assert_eq!(r.matched, 2);
    assert_eq!(r.customers.len(), 2);
}

#[test]
fn a_seat_change_refunds_the_old_count_and_charges_the_new_one() {
    let mut s = sub(1, 1, 10, Some((Term::P1Y, Billing::Monthly)));
    s.ms_subscription_id = SUB_1.into();
    // Added on the 20th: the month's 10, a refund of 10 and a charge for 13 from then.
    let added = bill(&[
        line(
            TENANT_A,
            "",
            "CFQ7TTC0LDPB",
            SUB_1,
            "addQuantity",
            "10.80",
            "10",
            "-39.60",
            "11/20/2026",
            "Monthly",
        ),
        line(
            TENANT_A,
            "",
            "CFQ7TTC0LDPB",
            SUB_1,
            "cycleCharge",
            "10.80",
            "10",
            "108.00",
            "11/1/2026",
            "Monthly",
        ),
        line(
            TENANT_A,
            "",
            "CFQ7TTC0LDPB",
            SUB_1,
            "addQuantity",
            "10.80",
            "13",
            "51.48",
            "11/20/2026",
            "Monthly",
        ),
    ]);
    let r = reconcile(&added, &customers(), std::slice::from_ref(&s), november());
    assert_eq!(r.findings.len(), 1, "{:?}", r.findings);
    assert_eq!(r.findings[0].kind, FindingKind::UnbilledSeats);
    assert_eq!(r.findings[0].quantity, Decimal::from(3));
    assert_eq!(
        r.findings[0].amount,
        Decimal::new(1188, 2),
        "3 seats at the prorated 3.96"
    );
    assert_eq!(r.customers[0].cost, Decimal::new(11988, 2));
    // Cancelled within the window: only a refund after the charge, so no seats are held.
    let cancelled = bill(&[
        line(
            TENANT_A,
            "",
            "CFQ7TTC0LDPB",
            SUB_1,
            "cycleCharge",
            "10.80",
            "10",
            "108.00",
            "11/1/2026",
            "Monthly",
        ),
        line(
            TENANT_A,
            "",
            "CFQ7TTC0LDPB",
            SUB_1,
            "cancelImmediate",
            "-9.36",
            "10",
            "-93.60",
            "11/5/2026",
            "Monthly",
        ),
    ]);
    let r = reconcile(&cancelled, &customers(), &[s], november());
    assert_eq!(r.findings[0].kind, FindingKind::BilledNotBought);
    assert_eq!(r.findings[0].fix, Some(Fix::End { subscription_id: 1 }));
}

#[test]
fn an_annual_bill_is_expected_only_in_its_purchase_or_renewal_month() {
    let annual = sub(3, 1, 4, Some((Term::P1Y, Billing::Annual)));
    let monthly = sub(4, 1, 6, Some((Term::P1M, Billing::Monthly)));
    let plain = sub(5, 1, 2, None);
    let other = bill(&[line(
        TENANT_B,
        "",
        "X",
        "",
        "cycleCharge",
        "1",
        "1",
        "1",
        "12/1/2026",
        "Monthly",
    )]);
    let r = reconcile(
        &other,
        &customers(),
        &[annual.clone(), monthly.clone(), plain.clone()],
        november(),
    );
    let kinds: Vec<_> = r
        .findings
        .iter()
        .map(|f| (f.kind, f.subscription_id))
        .collect();
    assert_eq!(
        kinds,
        [
            (FindingKind::BilledNotBought, Some(4)),
            (FindingKind::UnmatchedCharge, None)
        ],
        "December: the annual one (renewing in November) is not due, the plain one never"
    );
    let renewal = bill(&[line(
        TENANT_B,
        "",
        "X",
        "",
        "cycleCharge",
        "1",
        "1",
        "1",
        "11/1/2026",
        "Monthly",
    )]);
    let r = reconcile(
        &renewal,
        &customers(),
        &[annual, monthly, plain],
        november(),
    );
    let subs: Vec<_> = r
        .findings
        .iter()
        .filter_map(|f| f.subscription_id)
        .collect();
    assert_eq!(subs, [3, 4]);
    assert_eq!(r.findings[0].quantity, Decimal::from(4));
    assert_eq!(r.findings[0].amount, Decimal::new(5000, 2));
}

#[test]
fn an_ended_subscription_still_charged_leaks_every_seat() {
    let mut s = sub(1, 1, 10, Some((Term::P1M, Billing::Monthly)));
    s.terms.end_date = Some(d("2026-10-31"));
    let b = bill(&[line(
        TENANT_A,
        "",
        "CFQ7TTC0LDPB",
        SUB_1,
        "cycleCharge",
        "10.80",
        "10",
        "108.00",
        "11/1/2026",
        "Monthly",
    )]);
    let r = reconcile(&b, &customers(), &[s], november());
    assert_eq!(r.findings[0].kind, FindingKind::UnbilledSeats);
    assert_eq!(r.findings[0].quantity, Decimal::from(10));
    assert_eq!(r.customers[0].billed, Decimal::ZERO);
}

#[test]
fn a_cost_different_from_the_locked_one_is_found_in_the_bills_period() {
    let mut annual_bill = sub(1, 1, 10, Some((Term::P1Y, Billing::Annual)));
    annual_bill.ms_subscription_id = SUB_1.into();
    // The customer pays monthly at 10.80 cost a month; the bill charges the year at 129.60.
    let b = bill(&[line(
        TENANT_A,
        "",
        "CFQ7TTC0LDPB",
        SUB_1,
        "renew",
        "129.60",
        "10",
        "1296.00",
        "11/1/2026",
        "Annual",
    )]);
    let r = reconcile(
        &b,
        &customers(),
        std::slice::from_ref(&annual_bill),
        november(),
    );
    assert!(r.findings.is_empty(), "{:?}", r.findings);
    let b = bill(&[line(
        TENANT_A,
        "",
        "CFQ7TTC0LDPB",
        SUB_1,
        "renew",
        "136.80",
        "10",
        "1368.00",
        "11/1/2026",
        "Annual",
    )]);
    let r = reconcile(&b, &customers(), &[annual_bill], november());
    assert_eq!(r.findings.len(), 1);
    let f = &r.findings[0];
    assert_eq!(
        (f.kind, f.amount),
        (FindingKind::CostDiffers, Decimal::new(13680, 2))
    );
    assert_eq!(
        f.fix,
        Some(Fix::SetCost {
            subscription_id: 1,
            unit_cost: Decimal::new(114000, 4)
        })
    );
}

#[test]
fn unmatched_charges_offer_a_subscription_only_for_a_known_customer() {
    let b = bill(&[
        line(
            TENANT_A,
            "",
            "CFQ7TTC0LH18",
            SUB_2,
            "new",
            "6.00",
            "3",
            "18.00",
            "11/1/2026",
            "Monthly",
        ),
        line(
            "99999999-2222-3333-4444-555555555555",
            "",
            "CFQ7TTC0LH18",
            SUB_1,
            "new",
            "6.00",
            "2",
            "12.00",
            "11/1/2026",
            "Monthly",
        ),
    ]);
    let r = reconcile(&b, &customers(), &[], november());
    assert_eq!(r.findings.len(), 2);
    assert_eq!(r.findings[0].customer, "Contoso GmbH");
    assert!(matches!(
        r.findings[0].fix,
        Some(Fix::AddSubscription { customer_id: 1, .. })
    ));
    assert_eq!(r.findings[1].customer_id, None);
    assert_eq!(r.findings[1].customer, "Contoso", "the bill's own name");
    assert_eq!(r.findings[1].fix, None);
    assert_eq!(r.customers[0].cost, Decimal::new(1800, 2));
}

#[test]
fn a_subscription_known_under_another_microsoft_id_is_not_matched_by_product() {
    let mut s = sub(1, 1, 3, Some((Term::P1M, Billing::Monthly)));
    s.ms_subscription_id = SUB_1.into();
    let b = bill(&[
        line(
            TENANT_A,
            "",
            "CFQ7TTC0LDPB",
            SUB_1,
            "cycleCharge",
            "10.80",
            "3",
            "32.40",
            "11/1/2026",
            "Monthly",
        ),
        line(
            TENANT_A,
            "",
            "CFQ7TTC0LDPB",
            SUB_2,
            "new",
            "10.80",
            "2",
            "21.60",
            "11/1/2026",
            "Monthly",
        ),
    ]);
    let r = reconcile(&b, &customers(), &[s], november());
    let kinds: Vec<_> = r.findings.iter().map(|f| f.kind).collect();
    assert_eq!(kinds, [FindingKind::UnmatchedCharge]);
    assert_eq!(r.findings[0].ms_subscription_id, SUB_2);
}

#[test]
fn a_distributors_semicolon_windows_1252_export_reads_through_a_mapping() {
    let text = "Kunde;Tenant;Produkt-ID;Artikel;Menge;Einzelpreis;Betrag;Zeitraum von\r\n\
                Müller GmbH;11111111-2222-3333-4444-555555555555;CFQ7TTC0LDPB;M365 Standard;12;10,80;129,60;01.11.2026\r\n\
                Müller GmbH;11111111-2222-3333-4444-555555555555;CFQ7TTC0LDPB;M365 Standard;zwölf;10,80;129,60;01.11.2026\r\n";
    let (bytes, _, _) = WINDOWS_1252.encode(text);
    let mut choices = Choices::new();
    choices.insert("Tenant".into(), Some("tenant_id".into()));
    choices.insert("Produkt-ID".into(), Some("product_id".into()));
    choices.insert("Menge".into(), Some("quantity".into()));
    choices.insert("Einzelpreis".into(), Some("unit_price".into()));
    choices.insert("Betrag".into(), Some("subtotal".into()));
    choices.insert("Zeitraum von".into(), Some("charge_start".into()));
    let b = read_bill(&bytes[..], &choices).unwrap();
    assert_eq!(b.summary.rows, 2);
    assert_eq!(b.summary.valid, 1);
    assert_eq!(b.summary.errors[0].line, 3);
    assert_eq!(b.summary.errors[0].code, "quantity");
    assert_eq!(b.groups[0].customer_name, "Müller GmbH");
    assert_eq!(b.groups[0].cost, Decimal::new(12960, 2));
    assert_eq!(b.month, Some(november()));
    let r = reconcile(
        &b,
        &customers(),
        &[sub(1, 1, 10, Some((Term::P1M, Billing::Monthly)))],
        november(),
    );
    assert_eq!(r.findings[0].kind, FindingKind::UnbilledSeats);
}

#[test]
fn utf16_bills_and_bills_that_cannot_be_matched_are_read_or_refused_plainly() {
    let text = format!(
        "{HEADER}\n{}\n",
        line(
            TENANT_A,
            "",
            "CFQ7TTC0LDPB",
            SUB_1,
            "new",
            "1",
            "1",
            "1",
            "11/1/2026",
            ""
        )
    );
    let mut bytes = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        bytes.extend(u.to_le_bytes());
    }
    let b = read_bill(&bytes[..], &Choices::new()).unwrap();
    assert_eq!((b.summary.valid, b.groups[0].seats), (1, Decimal::ONE));
    let unmatchable = read_bill("Name,Seats\nA,1\n".as_bytes(), &Choices::new()).unwrap();
    let why = unmatchable.summary.mapping_error.unwrap();
    assert!(why.contains("Microsoft subscription id"), "{why}");
    assert!(unmatchable.groups.is_empty());
    assert_eq!(
        unmatchable.summary.mapping[1].sample, "1",
        "the columns are shown to be fixed"
    );
    let no_seats = read_bill("SubscriptionId,Preis\nx,1\n".as_bytes(), &Choices::new()).unwrap();
    assert!(no_seats.summary.mapping_error.unwrap().contains("Seats"));
    assert!(read_bill(&b""[..], &Choices::new()).is_err());
}

#[test]
fn a_long_bill_streams_through_small_reads() {
    // A reader handing out 7 bytes at a time: lines and characters cut anywhere.
    struct Trickle<'a>(&'a [u8]);
    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = buf.len().min(7).min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }
    let mut text = format!("{HEADER}\n");
    for i in 0..3000 {
        text.push_str(&line(
            TENANT_A,
            "",
            "CFQ7TTC0LDPB",
            &format!("0a1b2c3d-0000-4000-8000-{i:012}"),
            "cycleCharge",
            "10.80",
            "2",
            "21.60",
            "11/1/2026",
            "Monthly",
        ));
        text.push('\n');
    }
    let b = read_bill(Trickle(text.as_bytes()), &Choices::new()).unwrap();
    assert_eq!((b.summary.valid, b.groups.len()), (3000, 3000));
}
