//! Sample data offered on first run: realistic customers and a starter catalog whose
//! prices the partner is expected to edit.

use vardesk_core::catalog::CatalogForm;
use vardesk_core::settings::SettingsForm;
use vardesk_core::CoreError;

use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;
use vardesk_core::quote::LineForm;

use crate::customers::CustomerQuery;
use crate::{Result, Store};

/// The sample books' company: a German partner with everything an invoice it sends must
/// carry (§9), so every sample document can be issued and sent as an e-invoice.
pub fn sample_company() -> SettingsForm {
    SettingsForm {
        company_name: "Northwind Cloud Partners GmbH".into(),
        address_line1: "Friedrichstraße 68".into(),
        postal_code: "10117".into(),
        city: "Berlin".into(),
        country: "DE".into(),
        tax_id: "DE309481722".into(),
        tax_number: "37/482/51937".into(),
        legal_registration: "HRB 214365 B, Amtsgericht Charlottenburg".into(),
        managing_directors: "Katrin Vogel, Jonas Brandt".into(),
        contact_name: "Katrin Vogel".into(),
        email: "billing@northwind-cloud.de".into(),
        phone: "+49 30 2589 4410".into(),
        bank_name: "Deutsche Bank Berlin".into(),
        iban: "DE43 1007 0000 0123 4567 00".into(),
        bic: "DEUTDEBBXXX".into(),
        electronic_address: "9930:DE309481722".into(),
        // What an hour of its consultants costs it, so the sample's margins are real ones.
        estimator_coefficients: vardesk_core::estimate::Coefficients {
            hourly_cost: Decimal::new(5800, 2),
            ..Default::default()
        },
        ..SettingsForm::first_run()
    }
}

/// The sample customers, in the real import's format: loaded through the importer, so the
/// sample is exactly what a partner's own file would give.
const CUSTOMERS_CSV: &[u8] = include_bytes!("sample/customers.csv");

/// kind, SKU, name, unit, price, cost (in the default currency), tax: the default rate.
const CATALOG: &[(&str, &str, &str, &str, &str, &str)] = &[
    (
        "monthly",
        "M365-BB",
        "Microsoft 365 Business Basic",
        "seat/month",
        "5.60",
        "4.76",
    ),
    (
        "monthly",
        "M365-BS",
        "Microsoft 365 Business Standard",
        "seat/month",
        "11.70",
        "9.95",
    ),
    (
        "monthly",
        "M365-BP",
        "Microsoft 365 Business Premium",
        "seat/month",
        "20.60",
        "17.51",
    ),
    (
        "monthly",
        "EXO-P1",
        "Exchange Online (Plan 1)",
        "seat/month",
        "3.70",
        "3.15",
    ),
    (
        "monthly",
        "INTUNE-P1",
        "Microsoft Intune Plan 1",
        "device/month",
        "7.50",
        "6.38",
    ),
    (
        "monthly",
        "MSP-CARE",
        "Managed services bundle (monitoring, patching, helpdesk)",
        "user/month",
        "24.00",
        "9.00",
    ),
    (
        "monthly",
        "BACKUP-365",
        "Managed Microsoft 365 backup",
        "user/month",
        "2.95",
        "1.40",
    ),
    (
        "annual",
        "DNS-HOST",
        "Domain and DNS hosting",
        "domain/year",
        "240.00",
        "96.00",
    ),
    (
        "one_time",
        "LAB-MIG",
        "Migration labour",
        "hour",
        "125.00",
        "58.00",
    ),
    (
        "one_time",
        "LIC-MIG",
        "Migration licence",
        "mailbox",
        "15.00",
        "12.00",
    ),
];

/// About what one euro of the sample's list prices costs in the sample customers' other
/// currencies (Microsoft and distributors publish local price lists in round figures).
const LOCAL_PRICE_FACTORS: &[(&str, &str)] = &[
    ("EUR", "1"),
    ("CAD", "1.5"),
    ("CHF", "0.95"),
    ("DKK", "7.46"),
    ("GBP", "0.86"),
    ("ISK", "150"),
    ("PLN", "4.3"),
    ("SEK", "11.2"),
    ("USD", "1.08"),
];

/// About what one euro of list price is in `code` (1 for a currency not listed).
fn local_factor(code: &str) -> Decimal {
    LOCAL_PRICE_FACTORS
        .iter()
        .find(|(c, _)| *c == code)
        .and_then(|(_, f)| f.parse().ok())
        .unwrap_or(Decimal::ONE)
}

/// The sample item's price list in the other currencies: the price in round figures (tens
/// of krónur, whole units from 100, else tenths), the cost at the same share of the price.
fn local_prices(home: &str, price: &str, cost: &str) -> Vec<vardesk_core::catalog::LocalPriceForm> {
    let (price, cost): (Decimal, Decimal) = (
        price.parse().unwrap_or_default(),
        cost.parse().unwrap_or_default(),
    );
    LOCAL_PRICE_FACTORS
        .iter()
        .filter(|(code, _)| *code != home)
        .filter_map(|(code, factor)| {
            let currency = vardesk_core::Currency::parse(code).ok()?;
            let raw = price * factor.parse::<Decimal>().ok()?;
            let step = match (currency.minor_units(), raw < Decimal::ONE_HUNDRED) {
                (0, _) => Decimal::TEN,
                (_, false) => Decimal::ONE,
                (_, true) => Decimal::new(1, 1),
            };
            let local = vardesk_core::round_dp(raw / step, 0) * step;
            let local_cost = if price.is_zero() {
                Decimal::ZERO
            } else {
                currency.round(local * cost / price)
            };
            Some(vardesk_core::catalog::LocalPriceForm {
                currency: (*code).into(),
                price: currency.round(local).to_string(),
                cost: local_cost.to_string(),
            })
        })
        .collect()
}

impl Store {
    /// Loads the sample customers and catalog in one transaction. Customers whose names
    /// already exist are refused as a whole, so loading twice changes nothing.
    /// Customers, catalog, quotes in every status, subscriptions and a year of billing.
    pub fn load_sample_data(&mut self, today: NaiveDate) -> Result<usize> {
        let n = self.load_sample_data_without_billing(today)?;
        self.load_sample_billing(today)?;
        Ok(n)
    }

    /// The sample customers, catalog and quotes only: tests that count invoices start here.
    pub fn load_sample_data_without_billing(&mut self, today: NaiveDate) -> Result<usize> {
        let n = self.load_sample_records()?;
        self.load_sample_quotes(today)?;
        Ok(n)
    }

    pub(crate) fn load_sample_records(&mut self) -> Result<usize> {
        let settings = self.require_settings()?;
        let tax = settings.default_tax_rate_percent.to_string();
        let currency = settings.default_currency.code().to_string();
        let preview = self.preview_customer_import(CUSTOMERS_CSV)?;
        crate::imports::refuse_unless_clean(
            &preview.summary.mapping_error,
            &preview.summary.errors,
            preview.summary.error_count(),
        )?;
        let customers = preview.customers;
        let mut items = Vec::with_capacity(CATALOG.len());
        for (kind, sku, name, unit, price, cost) in CATALOG {
            let licence = LICENCES.iter().find(|(s, _)| s == sku);
            let form = CatalogForm {
                kind: (*kind).into(),
                sku: (*sku).into(),
                name: (*name).into(),
                unit: (*unit).into(),
                currency: currency.clone(),
                price: (*price).into(),
                cost: (*cost).into(),
                tax_rate_percent: tax.clone(),
                active: true,
                goods: false,
                other_prices: local_prices(&currency, price, cost),
                ms_licence: licence.is_some(),
                ms_product_id: licence.map(|l| l.1.to_string()).unwrap_or_default(),
                ms_sku_id: if licence.is_some() {
                    "0001".into()
                } else {
                    String::new()
                },
                term: if licence.is_some() {
                    "P1M".into()
                } else {
                    String::new()
                },
                ms_billing: if licence.is_some() {
                    "monthly".into()
                } else {
                    String::new()
                },
            };
            items.push(form.validate().map_err(CoreError::from)?);
        }
        self.write(|tx| {
            for c in &customers {
                crate::customers::insert_in(tx, c)?;
            }
            for i in &items {
                crate::catalog::insert_in(tx, i)?;
            }
            tx.execute(
                "UPDATE settings SET sample_data_answered = 1 WHERE id = 1",
                [],
            )
            .map_err(crate::db_error)?;
            Ok(())
        })?;
        Ok(customers.len())
    }
}

/// Sample quotes: customer, title, source, (mailboxes, shared, mailbox GB, public folder GB,
/// file GB), recurring SKUs with their quantity, and where the quote stands.
struct SampleQuote {
    customer: &'static str,
    title: &'static str,
    source: &'static str,
    environment: Option<(u32, u32, &'static str, &'static str, &'static str)>,
    recurring: &'static [(&'static str, u32)],
    stage: Stage,
}

#[derive(Clone, Copy, PartialEq)]
enum Stage {
    Draft,
    Sent,
    Expired,
    Accepted,
    Declined,
}

const QUOTES: &[SampleQuote] = &[
    SampleQuote {
        customer: "Nordlicht Steuerberatung",
        title: "Exchange 2013 cutover to Microsoft 365 Business Standard",
        source: "exchange_cutover",
        environment: Some((25, 3, "96", "0", "210")),
        recurring: &[("M365-BS", 25), ("BACKUP-365", 25)],
        stage: Stage::Draft,
    },
    SampleQuote {
        customer: "Fabrikam Pharma B.V.",
        title: "Hybrid migration of 180 mailboxes with public folders",
        source: "exchange_hybrid",
        environment: Some((180, 12, "2150", "85", "1600")),
        recurring: &[("M365-BP", 180), ("MSP-CARE", 180), ("DNS-HOST", 1)],
        stage: Stage::Sent,
    },
    SampleQuote {
        customer: "O'Brien Ltd",
        title: "Google Workspace to Microsoft 365",
        source: "google_workspace",
        environment: None,
        recurring: &[("M365-BS", 22), ("INTUNE-P1", 24)],
        stage: Stage::Declined,
    },
    SampleQuote {
        customer: "Müller & Söhne GmbH",
        title: "Exchange hybrid migration and managed Microsoft 365",
        source: "exchange_hybrid",
        environment: None,
        recurring: &[("M365-BP", 45), ("BACKUP-365", 45), ("DNS-HOST", 1)],
        stage: Stage::Accepted,
    },
    SampleQuote {
        customer: "Brasserie Éloïse SARL",
        title: "IMAP mail to Exchange Online",
        source: "imap",
        environment: None,
        recurring: &[("EXO-P1", 9)],
        stage: Stage::Expired,
    },
];

impl Store {
    fn load_sample_quotes(&mut self, today: NaiveDate) -> Result<()> {
        let catalog = self.list_catalog()?;
        for sample in QUOTES {
            let query = CustomerQuery {
                search: sample.customer.into(),
                ..Default::default()
            };
            let Some(customer) = self.list_customers(&query)?.customers.into_iter().next() else {
                continue;
            };
            // The expired quote was written two months ago and ran out.
            let written = if sample.stage == Stage::Expired {
                today - Days::new(60)
            } else {
                today
            };
            let mut form = self.new_quote_form(customer.id, written)?;
            form.title = sample.title.into();
            form.estimator.source = sample.source.into();
            if let Some((mailboxes, shared, gb, pf, files)) = sample.environment {
                form.estimator.mailboxes = mailboxes.to_string();
                form.estimator.shared_mailboxes = shared.to_string();
                form.estimator.users_to_train = mailboxes.to_string();
                form.estimator.mailbox_gb = gb.into();
                form.estimator.public_folder_gb = pf.into();
                form.estimator.file_gb = files.into();
            }
            form.terms = "Prices exclude tax. Recurring services are billed monthly in advance \
                (annual items yearly) from the start month; the contract term is 36 months."
                .into();
            for (sku, quantity) in sample.recurring {
                let Some(item) = catalog.iter().find(|c| c.item.sku == *sku) else {
                    continue;
                };
                // The item's price list in the quote's currency (every sample item has one).
                let Some((price, cost)) = vardesk_core::Currency::parse(&form.currency)
                    .ok()
                    .and_then(|c| item.item.price_in(c))
                else {
                    continue;
                };
                form.lines.push(LineForm {
                    kind: vardesk_core::quote::kind_str(item.item.kind).into(),
                    source: "catalog".into(),
                    description: item.item.name.clone(),
                    quantity: quantity.to_string(),
                    unit: item.item.unit.clone(),
                    unit_price: price.to_string(),
                    unit_cost: cost.to_string(),
                    discount_percent: "0".into(),
                    tax_rate_percent: item.item.tax_rate_percent.to_string(),
                    catalog_item_id: Some(item.id),
                    goods: item.item.goods,
                });
            }
            let quote = self.save_quote(None, &form, written)?;
            if sample.stage != Stage::Draft {
                self.mark_quote_sent(quote.id, written)?;
            }
            match sample.stage {
                Stage::Accepted => {
                    self.accept_quote(quote.id, today)?;
                }
                Stage::Declined => {
                    self.decline_quote(quote.id, today)?;
                }
                _ => {}
            }
        }
        Ok(())
    }
}

/// The sample catalog's Microsoft licences and their Partner Center product ids (§10).
const LICENCES: &[(&str, &str)] = &[
    ("M365-BB", "CFQ7TTC0LH18"),
    ("M365-BS", "CFQ7TTC0LDPB"),
    ("M365-BP", "CFQ7TTC0LCHC"),
    ("EXO-P1", "CFQ7TTC0LH16"),
    ("INTUNE-P1", "CFQ7TTC0LCPN"),
];

/// A made-up but well-formed Microsoft GUID: `group` tells tenants from subscriptions.
fn sample_guid(group: u16, n: u64) -> String {
    format!("{n:08x}-{group:04x}-4c1d-9b2f-{:012x}", n * 7919)
}

/// Which catalog items the sample's active customers subscribe to, by their position.
const SAMPLE_PLANS: &[&[&str]] = &[
    &["M365-BP", "BACKUP-365", "DNS-HOST"],
    &["M365-BS", "MSP-CARE"],
    &["EXO-P1"],
    &["M365-BS", "BACKUP-365", "INTUNE-P1"],
    &["M365-BP", "DNS-HOST"],
    &["M365-BS"],
];

impl Store {
    /// A year of recurring business for the sample's active customers: subscriptions that
    /// started over the last twelve months (a few mid-month, one since ended), every month
    /// billed and issued on its first day, most invoices paid, some partly, some overdue,
    /// and one partial credit note. Müller & Söhne's accepted quote starts next month.
    fn load_sample_billing(&mut self, today: NaiveDate) -> Result<()> {
        use chrono::{Datelike, Months};
        use vardesk_core::billing::Period;
        use vardesk_core::invoicing::{CreditLineForm, SubscriptionForm};

        let catalog = self.list_catalog()?;
        let customers: Vec<(i64, String)> = {
            let mut stmt = self
                .conn()
                .prepare(
                    "SELECT id, currency FROM customers c WHERE status = 'active' AND archived_at IS NULL
                        AND NOT EXISTS (SELECT 1 FROM subscriptions s WHERE s.customer_id = c.id)
                     ORDER BY id",
                )
                .map_err(crate::db_error)?;
            let rows = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .map_err(crate::db_error)?
                .collect::<rusqlite::Result<_>>()
                .map_err(crate::db_error)?;
            rows
        };
        let this_month = Period::of(today);
        let first_month = this_month.first_day() - Months::new(11);
        let mut subscription_no = 0u64;
        for (i, (customer, currency)) in customers.iter().enumerate() {
            let seats = 6 + (i * 7) % 31;
            // Staggered starts over the year; every fourth starts mid-month (prorated).
            let start_month = first_month + Months::new((i % 8) as u32);
            let start = if i % 4 == 1 {
                start_month.with_day(15).unwrap_or(start_month)
            } else {
                start_month
            };
            let mut first_licence: Option<i64> = None;
            for (j, sku) in SAMPLE_PLANS[i % SAMPLE_PLANS.len()].iter().enumerate() {
                let Some(item) = catalog.iter().find(|c| c.item.sku == *sku) else {
                    continue;
                };
                let Some((price, cost)) = vardesk_core::Currency::parse(currency)
                    .ok()
                    .and_then(|c| item.item.price_in(c))
                else {
                    continue;
                };
                let annual = item.item.kind == vardesk_core::lines::LineKind::Annual;
                // One customer let its backup go two months ago.
                let end = (i == 3 && j == 1)
                    .then(|| this_month.first_day() - Months::new(1) - Days::new(1));
                // §10: licences under NCE terms — mostly monthly, every third customer on a
                // year billed monthly, one on three years billed annually; a customer's
                // second licence ends with its first (co-termed).
                let licence = LICENCES.iter().find(|(s, _)| s == sku);
                let (term, billing, coterm) = match licence {
                    None => ("", "", String::new()),
                    Some(_) if i == 4 => ("P3Y", "annual", String::new()),
                    Some(_) if first_licence.is_some() && i % 3 == 0 => (
                        "P1Y",
                        "monthly",
                        first_licence
                            .map(|id: i64| id.to_string())
                            .unwrap_or_default(),
                    ),
                    Some(_) if i % 3 == 0 => ("P1Y", "monthly", String::new()),
                    Some(_) => ("P1M", "monthly", String::new()),
                };
                subscription_no += 1;
                let form = SubscriptionForm {
                    term: term.into(),
                    billing: billing.into(),
                    coterm_with: coterm,
                    ms_subscription_id: if licence.is_some() {
                        sample_guid(0x5b00, subscription_no)
                    } else {
                        String::new()
                    },
                    ms_product_id: licence.map(|l| l.1.to_string()).unwrap_or_default(),
                    ms_sku_id: if licence.is_some() {
                        "0001".into()
                    } else {
                        String::new()
                    },
                    customer_id: Some(*customer),
                    catalog_item_id: Some(item.id),
                    description: item.item.name.clone(),
                    quantity: if annual {
                        "1".into()
                    } else {
                        seats.to_string()
                    },
                    unit: item.item.unit.clone(),
                    unit_price: price.to_string(),
                    unit_cost: cost.to_string(),
                    discount_percent: "0".into(),
                    tax_rate_percent: item.item.tax_rate_percent.to_string(),
                    interval: if annual { "annual" } else { "monthly" }.into(),
                    start_date: start.to_string(),
                    end_date: end.map(|d| d.to_string()).unwrap_or_default(),
                    ..SubscriptionForm::default()
                };
                let id = self.save_subscription(None, &form)?;
                if licence.is_some() && first_licence.is_none() {
                    first_licence = Some(id);
                }
            }
        }

        // Bill and issue every month up to this one, in order: numbers follow the dates.
        let mut month = Period::of(first_month);
        let mut credited = false;
        loop {
            let run = self.run_billing(&month.to_string())?;
            // This month's run went out a week ago, so some of it is not yet due.
            let issued_on = if month == this_month {
                (today - Days::new(7)).max(month.first_day())
            } else {
                month.first_day()
            };
            for id in &run.created {
                let row = self.issue_invoice(*id, issued_on)?;
                let age = this_month.months_since(month);
                // Four months ago, the second customer was charged two seats too many.
                if age == 4 && !credited {
                    credited = true;
                    let line = self.invoice(*id, today)?.line_ids[0];
                    let back = [CreditLineForm {
                        line_id: line,
                        quantity: "2".into(),
                    }];
                    self.credit_invoice(*id, Some(&back), issued_on + Days::new(5))?;
                }
                let balance = self.invoice_row(*id, today)?.balance;
                let slow_payer = row.customer_id == customers.get(2).map_or(0, |c| c.0);
                let paid_on = issued_on + Days::new(10);
                let pay = match age {
                    0 if row.id % 3 == 0 => None, // this month: not yet paid…
                    0 if row.id % 3 == 1 => Some(balance / Decimal::TWO), // …or partly
                    1 | 2 if slow_payer => None,  // overdue for months
                    _ => Some(balance),
                };
                if let Some(amount) = pay
                    .map(|a| row.currency.round(a))
                    .filter(|a| *a > Decimal::ZERO)
                {
                    self.record_payment(
                        *id,
                        &amount.to_string(),
                        paid_on.min(today),
                        "Bank transfer",
                        &format!("Ref {}", row.number.clone().unwrap_or_default()),
                    )?;
                }
            }
            if month == this_month {
                break;
            }
            month = month.plus_months(1);
        }

        // Three days ago the first customer bought Business Basic for its new starters: still
        // inside its 7-day window (§10).
        if let (Some((customer, currency)), Some(item)) = (
            customers.first(),
            catalog.iter().find(|c| c.item.sku == "M365-BB"),
        ) {
            if let Some((price, cost)) = vardesk_core::Currency::parse(currency)
                .ok()
                .and_then(|c| item.item.price_in(c))
            {
                subscription_no += 1;
                self.save_subscription(
                    None,
                    &SubscriptionForm {
                        customer_id: Some(*customer),
                        catalog_item_id: Some(item.id),
                        description: item.item.name.clone(),
                        quantity: "4".into(),
                        unit: item.item.unit.clone(),
                        unit_price: price.to_string(),
                        unit_cost: cost.to_string(),
                        discount_percent: "0".into(),
                        tax_rate_percent: item.item.tax_rate_percent.to_string(),
                        interval: "monthly".into(),
                        start_date: (today - Days::new(3)).to_string(),
                        term: "P1Y".into(),
                        billing: "monthly".into(),
                        ms_subscription_id: sample_guid(0x5b00, subscription_no),
                        ms_product_id: "CFQ7TTC0LH18".into(),
                        ms_sku_id: "0001".into(),
                        ..SubscriptionForm::default()
                    },
                )?;
                // Billed at once for the rest of the month (prorated), like any new licence.
                for id in self.run_billing(&this_month.to_string())?.created {
                    self.issue_invoice(id, today)?;
                }
            }
        }
        Ok(())
    }

    /// Microsoft's new-commerce price list for the sample catalog's licences, as Partner
    /// Center writes it (§10): each product at P1M, P1Y billed monthly and P1Y billed annually
    /// in the company's currency and the sample customers' others, monthly terms 20 % above
    /// annual ones and annual terms billed monthly 5 % above paid upfront; Business Standard
    /// dearer than the catalog's cost, so the preview has licences whose cost changes at
    /// renewal.
    pub fn sample_price_list(&self, today: NaiveDate) -> Result<Vec<u8>> {
        const HEADER: &str = "ProductTitle,ProductId,SkuId,SkuTitle,Publisher,SkuDescription,\
            UnitOfMeasure,TermDuration,BillingPlan,Market,Currency,UnitPrice,PricingTierRangeMin,\
            PricingTierRangeMax,EffectiveStartDate,EffectiveEndDate,EndofSaleDate,Tags,ERP Price";
        let start = vardesk_core::billing::Period::of(today)
            .first_day()
            .format("%-m/%-d/%Y");
        let mut out = format!("{HEADER}\r\n");
        for (sku, product) in LICENCES {
            let Some((_, _, name, _, price, cost)) = CATALOG.iter().find(|c| c.1 == *sku) else {
                continue;
            };
            let (price, mut cost): (Decimal, Decimal) = (
                price.parse().unwrap_or_default(),
                cost.parse().unwrap_or_default(),
            );
            if *sku == "M365-BS" {
                cost = (cost * Decimal::new(105, 2)).round_dp(2); // the list has risen 5 %
            }
            for (code, factor) in LOCAL_PRICE_FACTORS.iter().take(4) {
                let factor: Decimal = factor.parse().unwrap_or(Decimal::ONE);
                let local = |v: Decimal| (v * factor).round_dp(2);
                // The catalog's monthly price is the P1M one; a year is 20 % cheaper a month,
                // paid upfront another 5 % less.
                let p1m = (local(cost), local(price));
                let p1y = (
                    (p1m.0 * Decimal::new(10, 1) / Decimal::new(12, 1) * Decimal::from(12))
                        .round_dp(2),
                    (p1m.1 / Decimal::new(12, 1) * Decimal::from(12)).round_dp(2),
                );
                let upfront = (
                    (p1y.0 / Decimal::new(105, 2)).round_dp(2),
                    (p1y.1 / Decimal::new(105, 2)).round_dp(2),
                );
                for (term, plan, (unit, erp)) in [
                    ("P1M", "Monthly", p1m),
                    ("P1Y", "Monthly", p1y),
                    ("P1Y", "Annual", upfront),
                ] {
                    out.push_str(&format!(
                        "{name},{product},0001,{name},Microsoft Corporation,,,{term},{plan},DE,{code},{unit},,,\
                         {start} 0:00,11/30/9999 23:59,,License,{erp}\r\n"
                    ));
                }
            }
        }
        Ok(out.into_bytes())
    }

    /// A distributor's bill for the sample books' licences this month, as Partner Center's
    /// new-commerce reconciliation file writes it (§10), with a few planted differences so
    /// the reconciliation has something to find: two seats more than billed, a cost 5 %
    /// higher, a licence missing from the bill, one matched only by tenant and product, and
    /// a product the customer bought that is not in the books.
    pub fn sample_distributor_bill(&self, today: NaiveDate) -> Result<Vec<u8>> {
        use vardesk_core::billing::Period;
        use vardesk_core::nce::{Billing, Term};
        const HEADER: &str = "PartnerId,CustomerId,CustomerName,CustomerDomainName,\
            CustomerCountry,InvoiceNumber,MpnId,ResellerMpnId,OrderId,OrderDate,ProductId,SkuId,\
            AvailabilityId,SkuName,ProductName,ChargeType,UnitPrice,Quantity,Subtotal,TaxTotal,\
            Total,Currency,PriceAdjustmentDescription,PublisherName,PublisherId,\
            SubscriptionDescription,SubscriptionId,ChargeStartDate,ChargeEndDate,\
            TermAndBillingCycle,EffectiveUnitPrice,UnitType,AlternateId,BillableQuantity,\
            BillingFrequency,PricingCurrency,PCToBCExchangeRate,PCToBCExchangeRateDate,\
            MeterDescription,ReservationOrderId,CreditReasonCode,SubscriptionStartDate,\
            SubscriptionEndDate,ReferenceId,ProductQualifiers,PromotionId";
        let month = Period::of(today);
        let us = |d: NaiveDate| d.format("%-m/%-d/%Y").to_string();
        let (from, to) = (us(month.first_day()), us(month.last_day()));
        let customers: std::collections::HashMap<i64, (String, String, String, String)> =
            crate::all_rows::<(i64, String, String, String, String)>(
                self.conn(),
                "SELECT id, name, tenant_id, tenant_domain, country FROM customers",
                [],
            )?
            .into_iter()
            .map(|(id, name, t, d, c)| (id, (name, t, d, c)))
            .collect();
        let mut out = format!("{HEADER}\r\n");
        let mut line = |customer: i64,
                        product: &str,
                        name: &str,
                        charge: &str,
                        unit: Decimal,
                        seats: Decimal,
                        currency: &str,
                        sub: &str,
                        frequency: &str,
                        cycle: &str| {
            let (cname, tenant, domain, country) =
                customers.get(&customer).cloned().unwrap_or_default();
            let total = (unit * seats).round_dp(2);
            let csv = |t: &str| vardesk_core::textfile::csv_text_cell(t).replace('"', "\"\"");
            out.push_str(&format!(
                "p,{tenant},\"{}\",{domain},{country},G0{},,,o,{from},{product},0001,a,\"{name}\",\
                 \"{name}\",{charge},{unit},{seats},{total},0,{total},{currency},,Microsoft \
                 Corporation,x,,{sub},{from},{to},{cycle},{unit},Licenses,,{seats},{frequency},\
                 {currency},1,{from},,,,,,,,\r\n",
                csv(&cname),
                month.to_string().replace('-', ""),
            ));
        };
        let mut k = 0;
        let mut first_customer = None;
        for s in self.list_subscriptions(today)? {
            let Some(l) = s.licence.as_ref().filter(|_| s.active) else {
                continue;
            };
            let (Ok(term), Ok(billing)) = (Term::parse(l.term), Billing::parse(l.billing)) else {
                continue;
            };
            let start: NaiveDate = l.term_start.parse().unwrap_or(today);
            let since = month.months_since(Period::of(start));
            if since.rem_euclid(i64::from(billing.months(term))) != 0 {
                continue; // billed annually or upfront: not this month
            }
            k += 1;
            first_customer.get_or_insert(s.customer_id);
            let cost = self
                .conn()
                .query_row(
                    "SELECT unit_cost_e4 FROM subscriptions WHERE id = ?1",
                    [s.id],
                    |r| r.get::<_, i64>(0),
                )
                .map_err(crate::db_error)?;
            let per_interval = crate::from_scaled(cost, 4);
            let interval_months = vardesk_core::billing::Interval::from_stored(s.interval).months();
            let mut unit =
                per_interval * Decimal::from(billing.months(term)) / Decimal::from(interval_months);
            let mut seats = s.quantity;
            match k {
                1 => seats += Decimal::TWO,
                3 => unit = (unit * Decimal::new(105, 2)).round_dp(2),
                5 => continue,
                _ => {}
            }
            let sub = if k == 2 {
                String::new()
            } else {
                l.ms_subscription_id.clone()
            };
            let charge = if start >= month.first_day() {
                "new"
            } else {
                "cycleCharge"
            };
            let cycle = match term {
                Term::P1M => "One-Month commitment for monthly billing",
                Term::P1Y => "One-Year commitment for monthly/yearly billing",
                Term::P3Y => "Three-Year commitment for monthly/yearly billing",
            };
            let frequency = if billing == Billing::Monthly {
                "Monthly"
            } else {
                "Annual"
            };
            line(
                s.customer_id,
                &l.ms_product_id,
                &s.description,
                charge,
                unit.round_dp(4),
                seats,
                s.currency.code(),
                &sub,
                frequency,
                cycle,
            );
        }
        if let Some(customer) = first_customer {
            let currency = self.customer(customer)?.data.currency;
            let unit = currency.round(Decimal::new(360, 2) * local_factor(currency.code()));
            line(
                customer,
                "CFQ7TTC0QW7C",
                "Microsoft Teams Essentials",
                "new",
                unit,
                Decimal::from(3),
                currency.code(),
                &sample_guid(0x5c00, 1),
                "Monthly",
                "One-Month commitment for monthly billing",
            );
        }
        Ok(out.into_bytes())
    }
}

/// The sample books' file beside the real data file: never the real books, never backed up.
pub fn sample_books_path(real: &std::path::Path) -> std::path::PathBuf {
    real.with_file_name("sample-books.sqlite3")
}

/// Builds the sample books afresh at `path`: the sample company, customers, catalog, quotes
/// and a year of billing up to `today`. Whatever an earlier exploration left there goes.
pub fn create_sample_books(path: &std::path::Path, today: NaiveDate) -> Result<Store> {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        match std::fs::remove_file(&name) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(CoreError::new(
                    vardesk_core::ErrorCode::Internal,
                    format!(
                        "The sample books at {} cannot be replaced: {e}.",
                        path.display()
                    ),
                ))
            }
        }
    }
    let mut store = Store::open_or_create(path)?;
    store.save_settings(&sample_company())?;
    store.load_sample_data(today)?;
    Ok(store)
}

#[cfg(test)]
mod tests {
    use crate::customers::CustomerQuery;
    use crate::test_support::profiled_store;

    #[test]
    fn sample_data_loads_once() {
        let (_dir, mut store) = profiled_store();
        let today = "2026-11-23".parse().unwrap();
        assert_eq!(store.load_sample_data(today).unwrap(), 18);
        assert_eq!(store.list_catalog().unwrap().len(), 10);
        assert!(store.load_sample_data(today).is_err());
        let quotes = store.list_quotes(&Default::default(), today).unwrap();
        let mut statuses: Vec<&str> = quotes.iter().map(|q| q.status).collect();
        statuses.sort();
        assert_eq!(
            statuses,
            vec!["accepted", "declined", "draft", "expired", "sent"]
        );
        let fabrikam = quotes
            .iter()
            .find(|q| q.customer.starts_with("Fabrikam"))
            .unwrap();
        let flags = store
            .quote(fabrikam.id, today)
            .unwrap()
            .estimate
            .unwrap()
            .warnings;
        let codes: Vec<&str> = flags.iter().map(|f| f.code).collect();
        assert_eq!(
            codes,
            vec!["public_folders_over_50gb", "migration_over_14_days"]
        );
        assert_eq!(
            store
                .list_customers(&CustomerQuery::default())
                .unwrap()
                .total,
            18
        );
        assert!(store.check().unwrap().ok);
    }

    #[test]
    fn the_sample_year_of_billing_is_consistent_and_varied() {
        let (_dir, mut store) = profiled_store();
        let today = "2026-11-23".parse().unwrap();
        store.load_sample_data(today).unwrap();
        let report = store.check().unwrap();
        assert!(report.ok, "{:?}", report.problems);
        let rows = store.list_invoices(None, None, today).unwrap();
        let count = |status: &str| rows.iter().filter(|r| r.status.as_str() == status).count();
        eprintln!(
            "paid {} overdue {} partly {} issued {}",
            count("paid"),
            count("overdue"),
            count("partially_paid"),
            count("issued")
        );
        assert!(count("paid") > 50, "{} paid", count("paid"));
        assert!(count("overdue") >= 2 && count("partially_paid") >= 1);
        assert_eq!(
            rows.iter()
                .filter(|r| r.kind == vardesk_core::standing::DocumentKind::CreditNote)
                .count(),
            1
        );
        assert_eq!(count("draft"), 1, "the accepted quote's one-time part");
        assert!(rows
            .iter()
            .any(|r| r.number.as_deref() == Some("INV-2025-0001")));
        assert!(rows
            .iter()
            .any(|r| r.number.as_deref() == Some("INV-2026-0001")));
        let subs = store.list_subscriptions(today).unwrap();
        assert!(subs.len() > 15 && subs.iter().any(|s| s.end_date.is_some()));
        // Next month only the accepted quote's subscriptions are new; the rest bill as usual.
        let december = store.preview_billing_run("2026-12").unwrap();
        assert!(december.invoices.len() > 5);
        assert_eq!(
            store.preview_billing_run("2026-11").unwrap().invoices.len(),
            0
        );
    }
}
