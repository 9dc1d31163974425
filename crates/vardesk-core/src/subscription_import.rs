//! Running subscriptions from the previous tool (DOMAIN.md §11): each with the next month the
//! old tool has not billed yet, so VarDesk's first billing run bills exactly the months
//! after it, never one twice and none left out.

use chrono::NaiveDate;
use serde::Serialize;

use crate::billing::Period;
use crate::error::CoreError;
use crate::invoicing::{SubscriptionData, SubscriptionForm};
use crate::mapping::{self, Choices, ImportKind, ImportSummary};
use crate::open_invoices::{find_customer, read_date, KnownCustomer};

/// One subscription to import and the first month VarDesk bills it.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedSubscription {
    pub line: u64,
    pub data: SubscriptionData,
    pub bill_from: Period,
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct SubscriptionImportPreview {
    #[serde(flatten)]
    pub summary: ImportSummary,
    /// Per valid row, in file order: "Contoso GmbH — Microsoft 365 E3: first billed 2026-12".
    pub first_months: Vec<String>,
    #[serde(skip)]
    pub subscriptions: Vec<ImportedSubscription>,
}

/// `monthly` or `annual` as other tools and languages write it ("Monthly", "Annually",
/// "jährlich", "P1Y", "12 months"); `None` for anything else (weekly, quarterly…).
pub fn read_interval(text: &str) -> Option<&'static str> {
    let k = mapping::key(text);
    const MONTHLY: &[&str] = &[
        "monthly",
        "month",
        "1month",
        "p1m",
        "monat",
        "monatlich",
        "mensuel",
        "mois",
        "maandelijks",
        "maand",
        "mensual",
        "mes",
        "mensile",
        "mese",
        "permonth",
        "m",
    ];
    const ANNUAL: &[&str] = &[
        "annual",
        "annually",
        "yearly",
        "year",
        "1year",
        "12months",
        "p1y",
        "jahr",
        "jahrlich",
        "annuel",
        "annuelle",
        "an",
        "jaarlijks",
        "jaar",
        "anual",
        "ano",
        "annuale",
        "anno",
        "peryear",
        "y",
    ];
    if k.is_empty() || MONTHLY.contains(&k.as_str()) {
        Some("monthly")
    } else if ANNUAL.contains(&k.as_str()) {
        Some("annual")
    } else {
        None
    }
}

/// A month as written: `2026-12`, `12/2026`, `12.2026`, or any date in it.
pub fn read_month(text: &str, month_first: bool) -> Option<Period> {
    let t = text.trim();
    if let Ok(p) = Period::parse(t) {
        return Some(p);
    }
    if let Some((m, y)) = t.split_once(['/', '.', '-']) {
        if let (Ok(m), Ok(y)) = (m.trim().parse::<u32>(), y.trim().parse::<i32>()) {
            if y > 1900 {
                return NaiveDate::from_ymd_opt(y, m, 1).map(Period::of);
            }
        }
    }
    read_date(t, month_first).map(Period::of)
}

/// Reads a running-subscriptions export and checks every row. `next_month` (default: the
/// month after `today`, or the start month when later) is the first month VarDesk bills.
pub fn parse_subscriptions_csv(
    bytes: &[u8],
    choices: &Choices,
    customers: &[KnownCustomer],
    default_tax_rate: &str,
    month_first: bool,
    today: NaiveDate,
) -> Result<SubscriptionImportPreview, CoreError> {
    let read = mapping::read(bytes, ImportKind::Subscriptions, choices, None)?;
    let mut preview = SubscriptionImportPreview {
        summary: read.summary(),
        first_months: Vec::new(),
        subscriptions: Vec::new(),
    };
    if preview.summary.mapping_error.is_some() {
        return Ok(preview);
    }
    let next_after_today = Period::of(today).plus_months(1);
    for record in &read.table.records {
        let cell = |field: &str| read.cell(record, field);
        let mut fail = |code: &str, reason: String| preview.summary.fail(record.line, code, reason);
        let who = cell("customer");
        let Some(customer) = find_customer(customers, &who) else {
            fail(
                "customer",
                format!("no customer named \"{who}\": import the customers first"),
            );
            continue;
        };
        let Some(interval) = read_interval(&cell("interval")) else {
            fail(
                "interval",
                format!(
                    "\"{}\" billing is not something VarDesk does: monthly or annual",
                    cell("interval")
                ),
            );
            continue;
        };
        let date = |field: &str| match cell(field) {
            t if t.is_empty() => Some(String::new()),
            t => read_date(&t, month_first).map(|d| d.to_string()),
        };
        let (Some(start), Some(end)) = (date("start_date"), date("end_date")) else {
            fail("start_date", "the start or end date is not a date".into());
            continue;
        };
        let amount = |field: &str, default: &str| match cell(field) {
            t if t.is_empty() => default.to_string(),
            t => mapping::normalize(field, &t),
        };
        let form = SubscriptionForm {
            customer_id: Some(customer.id),
            catalog_item_id: None,
            description: cell("description"),
            quantity: amount("quantity", "1"),
            unit: cell("unit"),
            unit_price: amount("unit_price", ""),
            unit_cost: amount("unit_cost", "0"),
            discount_percent: amount("discount_percent", "0")
                .trim_end_matches('%')
                .trim()
                .to_string(),
            tax_rate_percent: amount("tax_rate_percent", default_tax_rate)
                .trim_end_matches('%')
                .trim()
                .to_string(),
            interval: interval.into(),
            start_date: start,
            end_date: end,
            term: cell("term").to_ascii_uppercase(),
            billing: cell("billing").to_ascii_lowercase(),
            coterm_with: String::new(),
            auto_renew: None,
            ms_subscription_id: cell("ms_subscription_id"),
            ms_product_id: cell("ms_product_id"),
            ms_sku_id: cell("ms_sku_id"),
        };
        let data = match form.validate() {
            Ok(d) => d,
            Err(e) => {
                let (code, reason) = e
                    .fields
                    .first()
                    .map(|f| (f.field.clone(), f.message.clone()))
                    .unwrap_or_else(|| ("row".into(), e.message.clone()));
                fail(&code, reason.trim_end_matches('.').to_string());
                continue;
            }
        };
        let start_month = Period::of(data.start_date);
        let bill_from = match cell("next_month") {
            t if t.is_empty() => next_after_today.max(start_month),
            t => match read_month(&t, month_first) {
                Some(p) if p >= start_month => p,
                Some(_) => {
                    fail(
                        "next_month",
                        "the next month to bill is before the subscription starts".into(),
                    );
                    continue;
                }
                None => {
                    fail("next_month", format!("\"{t}\" is not a month like 2026-12"));
                    continue;
                }
            },
        };
        preview.first_months.push(format!(
            "{} — {}: first billed {bill_from}",
            customer.name, data.line.description
        ));
        preview.subscriptions.push(ImportedSubscription {
            line: record.line,
            data,
            bill_from,
        });
    }
    preview.summary.finish(preview.subscriptions.len());
    Ok(preview)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Currency;

    #[test]
    fn intervals_and_months_are_read_as_written() {
        for (t, want) in [
            ("Monthly", Some("monthly")),
            ("jährlich", Some("annual")),
            ("Annually", Some("annual")),
            ("P1Y", Some("annual")),
            ("", Some("monthly")),
            ("Quarterly", None),
            ("Weekly", None),
        ] {
            assert_eq!(read_interval(t), want, "{t}");
        }
        let p = |s: &str| Period::parse(s).unwrap();
        assert_eq!(read_month("2026-12", false), Some(p("2026-12")));
        assert_eq!(read_month("12/2026", false), Some(p("2026-12")));
        assert_eq!(read_month("01.12.2026", false), Some(p("2026-12")));
        assert_eq!(read_month("2026-12-01", false), Some(p("2026-12")));
        assert_eq!(read_month("soon", false), None);
    }

    #[test]
    fn each_subscription_bills_first_the_month_the_old_tool_has_not() {
        let customers = [KnownCustomer {
            id: 7,
            name: "Contoso GmbH".into(),
            currency: Currency::EUR,
            payment_terms_days: 14,
            buyer_reference: String::new(),
        }];
        let file = "Kunde;Produkt;Anzahl;Preis;Intervall;Beginn;Nächste Rechnung\n\
                    Contoso GmbH;Microsoft 365 E3;12;33,70;monatlich;01.03.2025;2026-12\n\
                    Contoso GmbH;Domain;1;240,00;jährlich;15.05.2024;\n\
                    Contoso GmbH;Fax;1;5,00;quartalsweise;01.01.2025;\n";
        let choices = Choices::new();
        let today: NaiveDate = "2026-11-27".parse().unwrap();
        let p = parse_subscriptions_csv(file.as_bytes(), &choices, &customers, "19", false, today)
            .unwrap();
        assert_eq!(p.summary.valid, 2, "{:?}", p.summary.errors);
        assert_eq!(p.summary.errors[0].code, "interval");
        assert_eq!(p.subscriptions[0].bill_from.to_string(), "2026-12");
        assert_eq!(p.subscriptions[0].data.line.unit_price.to_string(), "33.7");
        assert_eq!(
            p.subscriptions[1].bill_from.to_string(),
            "2026-12",
            "by default the month after this one"
        );
        assert!(p.first_months[0].contains("first billed 2026-12"));
    }

    /// §10 via §11: running licences come over with their term and Microsoft ids.
    #[test]
    fn running_licences_keep_their_term_and_microsoft_ids() {
        let customers = [KnownCustomer {
            id: 7,
            name: "Contoso GmbH".into(),
            currency: Currency::EUR,
            payment_terms_days: 14,
            buyer_reference: String::new(),
        }];
        let file = "Customer,Description,Quantity,Price,Interval,Start,Term,Billing Plan,Subscription ID,Product ID,SKU ID\n\
                    Contoso GmbH,Microsoft 365 Business Standard,12,12.50,monthly,2025-03-01,P1Y,Monthly,{4C5A3B2E-1F0D-4E9C-8B7A-6D5C4B3A2F10},cfq7ttc0ldpb,0001\n\
                    Contoso GmbH,Backup,12,2.95,monthly,2025-03-01,,,,,\n\
                    Contoso GmbH,Intune,3,7.50,monthly,2025-03-01,P2Y,,,,\n";
        let today: NaiveDate = "2026-11-27".parse().unwrap();
        let p = parse_subscriptions_csv(
            file.as_bytes(),
            &Choices::new(),
            &customers,
            "19",
            false,
            today,
        )
        .unwrap();
        assert_eq!(p.summary.valid, 2, "{:?}", p.summary.errors);
        assert_eq!(p.summary.errors[0].code, "term");
        let licence = p.subscriptions[0].data.licence.as_ref().unwrap();
        assert_eq!(
            (licence.term, licence.billing),
            (crate::nce::Term::P1Y, crate::nce::Billing::Monthly)
        );
        assert_eq!(
            licence.ms_subscription_id,
            "4c5a3b2e-1f0d-4e9c-8b7a-6d5c4b3a2f10"
        );
        assert_eq!(licence.ms_product_id, "CFQ7TTC0LDPB");
        assert!(
            p.subscriptions[1].data.licence.is_none(),
            "the backup is no licence"
        );
    }
}
