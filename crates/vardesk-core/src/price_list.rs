//! Microsoft's new-commerce license-based price list, or a distributor's price export through
//! a saved mapping (DOMAIN.md §10): one catalog item per product/SKU × term × billing
//! frequency, with the partner's cost and the suggested retail price in each currency.
//!
//! Partner Center's columns are listed beside their aliases in `mapping.rs`. Its UnitPrice
//! "is for the term being purchased": a P1Y price covers the 12 months (billed monthly, the
//! partner pays a twelfth each month), a P3Y price the 36 months. VarDesk's catalog prices
//! are per month (monthly items) or per year (annual items), so the term's price is divided
//! by the months (or years) it covers. Trials (billing plan "None", tag "Trial"), prices not
//! in effect on the day of the import and tiers above the first are left out; where a file
//! lists several markets in one currency, the partner's own market wins.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::CoreError;
use crate::lines::LineKind;
use crate::mapping::{self, Choices, ImportKind, ImportSummary};
use crate::money::Currency;
use crate::nce::{Billing, Term};

/// One catalog item of the price list, with its prices per currency.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct PriceListItem {
    /// VarDesk's SKU for it: `MS-CFQ7TTC0LDPB-0001-P1Y-M`.
    pub sku: String,
    pub name: String,
    pub unit: String,
    pub kind: LineKind,
    pub product_id: String,
    pub sku_id: String,
    pub term: Term,
    pub billing: Billing,
    /// Per currency code: (suggested price, cost) per month or per year as `kind` says.
    pub prices: BTreeMap<String, (Decimal, Decimal)>,
}

/// A price list as read: its items and what the preview says of its rows.
#[derive(Debug, Clone, PartialEq)]
pub struct PriceList {
    pub items: Vec<PriceListItem>,
    /// Trials, prices not in effect, higher tiers and other markets' duplicates.
    pub left_out: u32,
    pub summary: ImportSummary,
}

/// Reads a price list with the user's column `choices`; `market` is the partner's country
/// (its rows win over other markets' in the same currency), `today` picks the prices in
/// effect.
pub fn read_price_list(
    bytes: &[u8],
    choices: &Choices,
    market: &str,
    today: NaiveDate,
) -> Result<PriceList, CoreError> {
    let read = mapping::read(bytes, ImportKind::PriceList, choices, None)?;
    let mut summary = read.summary();
    if read.error.is_some() {
        return Ok(PriceList {
            items: Vec::new(),
            left_out: 0,
            summary,
        });
    }
    // (product, sku, term, billing) → item; per currency the row chosen and whether it is
    // the partner's own market.
    let mut items: BTreeMap<(String, String, Term, Billing), PriceListItem> = BTreeMap::new();
    let mut own_market: BTreeMap<(String, String, Term, Billing, String), bool> = BTreeMap::new();
    let (mut valid, mut left_out) = (0usize, 0u32);
    for record in &read.table.records {
        let cell = |f: &str| read.cell(record, f);
        let billing_text = cell("billing");
        let tags = cell("tags").to_ascii_lowercase();
        if billing_text.eq_ignore_ascii_case("none") || tags.split(';').any(|t| t.trim() == "trial")
        {
            left_out += 1;
            continue;
        }
        let in_effect = |field: &str, after: bool| {
            let text = cell(field);
            let day = crate::open_invoices::read_date(&text, true)
                .or_else(|| crate::open_invoices::read_date(&text, false));
            day.is_none_or(|d| if after { d <= today } else { d >= today })
        };
        let tier = cell("tier_min");
        let higher_tier =
            crate::money::parse_decimal("tier_min", &tier).is_ok_and(|t| t > Decimal::ONE);
        if !in_effect("effective_start", true) || !in_effect("effective_end", false) || higher_tier
        {
            left_out += 1;
            continue;
        }
        match read_row(&cell) {
            Ok(row) => {
                valid += 1;
                let key = (
                    row.product_id.clone(),
                    row.sku_id.clone(),
                    row.term,
                    row.billing,
                );
                let mine = row.market.eq_ignore_ascii_case(market);
                let code = row.currency.code().to_string();
                let seen =
                    own_market.get(&(key.0.clone(), key.1.clone(), key.2, key.3, code.clone()));
                if seen.is_some() {
                    // One of the two is left out: the other market's.
                    left_out += 1;
                }
                if seen.is_some_and(|was_mine| *was_mine || !mine) {
                    continue;
                }
                own_market.insert(
                    (key.0.clone(), key.1.clone(), key.2, key.3, code.clone()),
                    mine,
                );
                let item = items.entry(key).or_insert_with(|| new_item(&row));
                item.prices.insert(code, (row.erp, row.cost));
            }
            Err((field, reason)) => summary.fail(record.line, field, reason),
        }
    }
    summary.finish(valid);
    Ok(PriceList {
        items: items.into_values().collect(),
        left_out,
        summary,
    })
}

struct Row {
    product_id: String,
    sku_id: String,
    title: String,
    term: Term,
    billing: Billing,
    market: String,
    currency: Currency,
    /// Per month or per year (see [`per_interval`]).
    cost: Decimal,
    erp: Decimal,
}

fn read_row(cell: &dyn Fn(&str) -> String) -> Result<Row, (&'static str, String)> {
    let product_id = crate::nce::catalog_id(&cell("product_id"))
        .filter(|p| !p.is_empty())
        .ok_or((
            "product_id",
            "The product id is missing or not like CFQ7TTC0LDPB.".to_string(),
        ))?;
    let sku_id = crate::nce::catalog_id(&cell("sku_id")).ok_or((
        "sku_id",
        "The SKU id has letters, digits and - only.".to_string(),
    ))?;
    let term = Term::parse(&cell("term")).map_err(|e| ("term", e.message))?;
    let billing = match cell("billing").to_ascii_lowercase().as_str() {
        "monthly" | "month" => Billing::Monthly,
        "annual" | "yearly" | "annually" | "year" => Billing::Annual,
        "triennial" | "upfront" | "onetime" => Billing::Upfront,
        other => {
            return Err((
                "billing",
                format!("\"{other}\" is not a billing plan: Monthly, Annual or Triennial."),
            ))
        }
    };
    let billing = billing.for_term(term).map_err(|e| ("billing", e.message))?;
    let currency = Currency::parse(&cell("currency")).map_err(|e| ("currency", e.message))?;
    let number = |field: &'static str| -> Result<Option<Decimal>, (&'static str, String)> {
        let text = cell(field);
        if text.is_empty() {
            return Ok(None);
        }
        crate::money::parse_decimal(field, &text)
            .ok()
            .or_else(|| crate::open_invoices::read_number(&text, currency.code()))
            .filter(|n| *n >= Decimal::ZERO && crate::bounds::amount_in_range(*n))
            .map(Some)
            .ok_or((field, format!("\"{text}\" is not a price.")))
    };
    let unit_price = number("unit_price")?.ok_or((
        "unit_price",
        "The price for the term is missing.".to_string(),
    ))?;
    let erp = number("erp_price")?.unwrap_or(unit_price);
    let title = [cell("sku_title"), cell("product_title")]
        .into_iter()
        .find(|t| !t.is_empty())
        .unwrap_or_else(|| product_id.clone());
    Ok(Row {
        cost: per_interval(unit_price, term, billing),
        erp: per_interval(erp, term, billing),
        product_id,
        sku_id,
        title,
        term,
        billing,
        market: cell("market"),
        currency,
    })
}

/// A term's price as VarDesk's catalog keeps it: per month when billed monthly, else per
/// year (to 4 decimals).
pub fn per_interval(term_price: Decimal, term: Term, billing: Billing) -> Decimal {
    let (kind, _) = kind_of(term, billing);
    let periods = match kind {
        LineKind::Annual => Decimal::from(term.months().div_ceil(12)),
        _ => Decimal::from(term.months()),
    };
    crate::money::round_dp(term_price / periods, 4)
}

/// The catalog kind and unit for a term billed so: monthly items per month, the rest per year.
fn kind_of(_term: Term, billing: Billing) -> (LineKind, &'static str) {
    match billing {
        Billing::Monthly => (LineKind::Monthly, "seat/month"),
        Billing::Annual | Billing::Upfront => (LineKind::Annual, "seat/year"),
    }
}

fn new_item(row: &Row) -> PriceListItem {
    let (kind, unit) = kind_of(row.term, row.billing);
    let term_text = match row.term {
        Term::P1M => "1 month",
        Term::P1Y => "1 year",
        Term::P3Y => "3 years",
    };
    let billing_text = match row.billing {
        Billing::Monthly => "billed monthly",
        Billing::Annual => "billed annually",
        Billing::Upfront => "paid upfront",
    };
    let billing_letter = match row.billing {
        Billing::Monthly => "M",
        Billing::Annual => "A",
        Billing::Upfront => "U",
    };
    let mut sku = format!(
        "MS-{}-{}-{}-{billing_letter}",
        row.product_id,
        row.sku_id,
        row.term.as_str()
    );
    sku.truncate(60);
    let mut name = format!("{} ({term_text}, {billing_text})", row.title);
    if name.chars().count() > 200 {
        name = name.chars().take(200).collect();
    }
    PriceListItem {
        sku,
        name,
        unit: unit.into(),
        kind,
        product_id: row.product_id.clone(),
        sku_id: row.sku_id.clone(),
        term: row.term,
        billing: row.billing,
        prices: BTreeMap::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "ProductTitle,ProductId,SkuId,SkuTitle,Publisher,SkuDescription,\
        UnitOfMeasure,TermDuration,BillingPlan,Market,Currency,UnitPrice,PricingTierRangeMin,\
        PricingTierRangeMax,EffectiveStartDate,EffectiveEndDate,EndofSaleDate,Tags,ERP Price";

    #[allow(clippy::too_many_arguments)]
    fn row(
        sku: &str,
        term: &str,
        plan: &str,
        market: &str,
        currency: &str,
        price: &str,
        erp: &str,
        tags: &str,
    ) -> String {
        format!(
            "Microsoft 365 Business Standard,CFQ7TTC0LDPB,{sku},Microsoft 365 Business Standard,\
             Microsoft Corporation,desc,,{term},{plan},{market},{currency},{price},,,\
             11/1/2026 0:00,11/30/9999 23:59,,{tags},{erp}"
        )
    }

    fn read(rows: &[String]) -> PriceList {
        let text = format!("{HEADER}\n{}\n", rows.join("\n"));
        read_price_list(
            text.as_bytes(),
            &Choices::new(),
            "DE",
            "2026-11-28".parse().unwrap(),
        )
        .unwrap()
    }

    #[test]
    fn each_product_term_and_plan_is_an_item_priced_per_month_or_year() {
        let list = read(&[
            row(
                "0001", "P1M", "Monthly", "DE", "EUR", "14.82", "14.82", "License",
            ),
            row(
                "0001", "P1Y", "Monthly", "DE", "EUR", "148.20", "148.20", "License",
            ),
            row(
                "0001", "P1Y", "Annual", "DE", "EUR", "141.00", "141.00", "License",
            ),
            row(
                "0001",
                "P3Y",
                "Triennial",
                "DE",
                "EUR",
                "423.00",
                "450.00",
                "License",
            ),
            row(
                "0001", "P1Y", "Monthly", "CH", "CHF", "148.80", "160.20", "License",
            ),
        ]);
        assert!(list.summary.errors.is_empty(), "{:?}", list.summary.errors);
        let by_sku: BTreeMap<_, _> = list.items.iter().map(|i| (i.sku.as_str(), i)).collect();
        let p1y_m = by_sku["MS-CFQ7TTC0LDPB-0001-P1Y-M"];
        assert_eq!(
            (p1y_m.kind, p1y_m.unit.as_str()),
            (LineKind::Monthly, "seat/month")
        );
        assert_eq!(
            p1y_m.prices["EUR"],
            (Decimal::new(1235, 2), Decimal::new(1235, 2))
        );
        assert_eq!(
            p1y_m.prices["CHF"],
            (Decimal::new(1335, 2), Decimal::new(124, 1))
        );
        assert_eq!(
            p1y_m.name,
            "Microsoft 365 Business Standard (1 year, billed monthly)"
        );
        assert_eq!(
            by_sku["MS-CFQ7TTC0LDPB-0001-P1Y-A"].prices["EUR"].1,
            Decimal::from(141)
        );
        let p3y = by_sku["MS-CFQ7TTC0LDPB-0001-P3Y-U"];
        assert_eq!(
            (p3y.kind, p3y.prices["EUR"]),
            (LineKind::Annual, (Decimal::from(150), Decimal::from(141)))
        );
        assert_eq!(
            by_sku["MS-CFQ7TTC0LDPB-0001-P1M-M"].prices["EUR"].1,
            Decimal::new(1482, 2)
        );
    }

    #[test]
    fn trials_other_markets_later_prices_and_higher_tiers_are_left_out() {
        let text = format!(
            "{HEADER}\n{}\n{}\n{}\n{}\n{}\n",
            row(
                "0001",
                "P1M",
                "None",
                "DE",
                "EUR",
                "0",
                "0",
                "License; Trial"
            ),
            row("0001", "P1M", "Monthly", "FR", "EUR", "15.00", "15.00", "License"),
            row("0001", "P1M", "Monthly", "DE", "EUR", "14.82", "14.82", "License"),
            row("0001", "P1M", "Monthly", "AT", "EUR", "15.10", "15.10", "License"),
            row("0002", "P1M", "Monthly", "DE", "EUR", "1.00", "1.00", "License")
                .replace("11/1/2026 0:00", "12/1/2026 0:00"),
        );
        let list = read_price_list(
            text.as_bytes(),
            &Choices::new(),
            "DE",
            "2026-11-28".parse().unwrap(),
        )
        .unwrap();
        assert_eq!(list.items.len(), 1);
        assert_eq!(
            list.items[0].prices["EUR"].1,
            Decimal::new(1482, 2),
            "the partner's market wins"
        );
        assert_eq!(list.left_out, 4);
        let bad = read(&[
            row("0001", "P2Y", "Monthly", "DE", "EUR", "1", "1", ""),
            row("0001", "P1M", "Annual", "DE", "EUR", "1", "1", ""),
        ]);
        let codes: Vec<_> = bad.summary.errors.iter().map(|e| e.code.as_str()).collect();
        assert_eq!(codes, ["term", "billing"]);
    }

    #[test]
    fn a_distributors_price_export_reads_through_a_mapping() {
        let text = "Produkt-ID;SKU;Laufzeit;Abrechnung;Währung;Einkaufspreis;UVP\n\
                    CFQ7TTC0LDPB;0001;P1Y;Monthly;EUR;148,20;156,00\n";
        let mut choices = Choices::new();
        choices.insert("SKU".into(), Some("sku_id".into()));
        choices.insert("Abrechnung".into(), Some("billing".into()));
        choices.insert("Währung".into(), Some("currency".into()));
        choices.insert("UVP".into(), Some("erp_price".into()));
        let list = read_price_list(
            text.as_bytes(),
            &choices,
            "DE",
            "2026-11-28".parse().unwrap(),
        )
        .unwrap();
        assert_eq!(list.summary.mapping_error, None);
        assert_eq!(
            list.items[0].prices["EUR"],
            (Decimal::from(13), Decimal::new(1235, 2))
        );
    }
}
