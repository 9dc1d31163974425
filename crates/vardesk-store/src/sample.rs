//! Sample data offered on first run: realistic customers and a starter catalog whose
//! prices the partner is expected to edit.

use vardesk_core::catalog::CatalogForm;
use vardesk_core::customer::CustomerForm;
use vardesk_core::CoreError;

use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;
use vardesk_core::quote::LineForm;

use crate::customers::CustomerQuery;
use crate::{Result, Store};

/// name, contact, e-mail, city, postal code, country, currency, status, platform,
/// mailboxes, shared, pcs, phones, sites, mailbox GB, file GB
type SampleCustomer = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    u32,
    u32,
    u32,
    u32,
    u32,
    &'static str,
    &'static str,
);

const CUSTOMERS: &[SampleCustomer] = &[
    (
        "Müller & Söhne GmbH",
        "Hans Müller",
        "hans.mueller@mueller-soehne.de",
        "Stuttgart",
        "70173",
        "DE",
        "EUR",
        "active",
        "exchange_hybrid",
        45,
        6,
        42,
        30,
        2,
        "312.5",
        "180",
    ),
    (
        "Łódź Logistics Sp. z o.o.",
        "Agnieszka Wójcik",
        "a.wojcik@lodzlogistics.pl",
        "Łódź",
        "90-001",
        "PL",
        "PLN",
        "active",
        "exchange_cutover",
        38,
        4,
        35,
        20,
        1,
        "190",
        "95",
    ),
    (
        "O'Brien Ltd",
        "Liam O'Brien",
        "liam@obrien.ie",
        "Cork",
        "T12 X70A",
        "IE",
        "EUR",
        "active",
        "google_workspace",
        22,
        2,
        24,
        22,
        1,
        "88",
        "40",
    ),
    (
        "Ærø Færgeri ApS",
        "Mette Jørgensen",
        "mette@aeroe-faergeri.dk",
        "Ærøskøbing",
        "5970",
        "DK",
        "DKK",
        "prospect",
        "imap",
        14,
        1,
        14,
        10,
        2,
        "21.5",
        "12",
    ),
    (
        "Brasserie Éloïse SARL",
        "Élodie Lambert",
        "elodie@brasserie-eloise.fr",
        "Lyon",
        "69002",
        "FR",
        "EUR",
        "prospect",
        "imap",
        9,
        1,
        6,
        9,
        1,
        "12",
        "5",
    ),
    (
        "Zürcher Treuhand AG",
        "Beat Keller",
        "beat.keller@zuercher-treuhand.ch",
        "Zürich",
        "8001",
        "CH",
        "CHF",
        "active",
        "exchange_hybrid",
        60,
        5,
        55,
        40,
        2,
        "530.4",
        "300",
    ),
    (
        "Fabrikam Pharma B.V.",
        "Sanne de Vries",
        "s.devries@fabrikam-pharma.nl",
        "Utrecht",
        "3511 AB",
        "NL",
        "EUR",
        "active",
        "exchange_hybrid",
        120,
        12,
        110,
        95,
        3,
        "1480",
        "820",
    ),
    (
        "Contoso Dental Group",
        "Megan Bowen",
        "megan.bowen@contosodental.com",
        "Seattle",
        "98101",
        "US",
        "USD",
        "active",
        "google_workspace",
        35,
        3,
        30,
        35,
        4,
        "140",
        "60",
    ),
    (
        "Søren Østergaard Arkitekter",
        "Søren Østergaard",
        "so@ostergaard-ark.dk",
        "Aarhus",
        "8000",
        "DK",
        "DKK",
        "active",
        "exchange_cutover",
        18,
        2,
        18,
        18,
        1,
        "75",
        "410",
    ),
    (
        "Nordlicht Steuerberatung",
        "Jonas Becker",
        "j.becker@nordlicht-stb.de",
        "Hamburg",
        "20095",
        "DE",
        "EUR",
        "active",
        "exchange_cutover",
        26,
        3,
        26,
        12,
        1,
        "96",
        "210",
    ),
    (
        "Café Ñandú S.L.",
        "Ángel Núñez",
        "angel@cafenandu.es",
        "Sevilla",
        "41001",
        "ES",
        "EUR",
        "prospect",
        "other",
        6,
        1,
        5,
        6,
        1,
        "8",
        "2",
    ),
    (
        "Göteborgs Bygg & Måleri AB",
        "Åsa Lindqvist",
        "asa@gbg-bygg.se",
        "Göteborg",
        "411 03",
        "SE",
        "SEK",
        "active",
        "google_workspace",
        48,
        4,
        20,
        48,
        5,
        "160",
        "75",
    ),
    (
        "Kowalski & Partnerzy",
        "Paweł Kowalski",
        "pawel@kowalski-partnerzy.pl",
        "Kraków",
        "31-042",
        "PL",
        "PLN",
        "former",
        "imap",
        11,
        1,
        11,
        8,
        1,
        "30",
        "15",
    ),
    (
        "Highland Whisky Exports Ltd",
        "Fiona MacLeod",
        "fiona@highland-exports.co.uk",
        "Inverness",
        "IV1 1HY",
        "GB",
        "GBP",
        "active",
        "exchange_hybrid",
        32,
        5,
        30,
        25,
        2,
        "210",
        "130",
    ),
    (
        "Alpine Ski Schule Österreich",
        "Lukas Wagner",
        "lukas@alpine-skischule.at",
        "Innsbruck",
        "6020",
        "AT",
        "EUR",
        "active",
        "imap",
        15,
        3,
        8,
        15,
        3,
        "25",
        "10",
    ),
    (
        "Adatum Legal LLP",
        "Isaiah Langer",
        "ilanger@adatumlegal.com",
        "Toronto",
        "M5H 2N2",
        "CA",
        "CAD",
        "prospect",
        "exchange_cutover",
        160,
        10,
        150,
        120,
        2,
        "2400",
        "1200",
    ),
    (
        "Tailspin Toys Inc.",
        "Diego Siciliani",
        "diego@tailspintoys.com",
        "Austin",
        "78701",
        "US",
        "USD",
        "former",
        "google_workspace",
        40,
        2,
        38,
        40,
        1,
        "120",
        "55",
    ),
    (
        "Reykjavík Fiskur ehf.",
        "Guðrún Sigurðardóttir",
        "gudrun@rvkfiskur.is",
        "Reykjavík",
        "101",
        "IS",
        "ISK",
        "active",
        "other",
        12,
        1,
        10,
        12,
        1,
        "18",
        "6",
    ),
];

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
        "0.00",
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
        let defaults = vardesk_core::customer::CustomerDefaults {
            currency: settings.default_currency,
            payment_terms_days: settings.payment_terms_days,
        };
        let mut customers = Vec::with_capacity(CUSTOMERS.len());
        for c in CUSTOMERS {
            let form = CustomerForm {
                name: c.0.into(),
                contact_name: c.1.into(),
                email: c.2.into(),
                city: c.3.into(),
                postal_code: c.4.into(),
                country: c.5.into(),
                currency: c.6.into(),
                status: c.7.into(),
                mail_platform: c.8.into(),
                mailboxes: c.9.to_string(),
                shared_mailboxes: c.10.to_string(),
                pcs: c.11.to_string(),
                phones: c.12.to_string(),
                sites: c.13.to_string(),
                mailbox_gb: c.14.into(),
                file_gb: c.15.into(),
                ..Default::default()
            };
            customers.push(form.validate(&defaults).map_err(CoreError::from)?);
        }
        let mut items = Vec::with_capacity(CATALOG.len());
        for (kind, sku, name, unit, price, cost) in CATALOG {
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
                let same_currency = item.item.currency.code() == form.currency;
                form.lines.push(LineForm {
                    kind: vardesk_core::quote::kind_str(item.item.kind).into(),
                    source: "catalog".into(),
                    description: item.item.name.clone(),
                    quantity: quantity.to_string(),
                    unit: item.item.unit.clone(),
                    unit_price: item.item.price.to_string(),
                    unit_cost: item.item.cost.to_string(),
                    discount_percent: "0".into(),
                    tax_rate_percent: item.item.tax_rate_percent.to_string(),
                    catalog_item_id: same_currency.then_some(item.id),
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
                    "SELECT id, name FROM customers c WHERE status = 'active' AND archived_at IS NULL
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
        for (i, (customer, _)) in customers.iter().enumerate() {
            let seats = 6 + (i * 7) % 31;
            // Staggered starts over the year; every fourth starts mid-month (prorated).
            let start_month = first_month + Months::new((i % 8) as u32);
            let start = if i % 4 == 1 {
                start_month.with_day(15).unwrap_or(start_month)
            } else {
                start_month
            };
            for (j, sku) in SAMPLE_PLANS[i % SAMPLE_PLANS.len()].iter().enumerate() {
                let Some(item) = catalog.iter().find(|c| c.item.sku == *sku) else {
                    continue;
                };
                let annual = item.item.kind == vardesk_core::lines::LineKind::Annual;
                // One customer let its backup go two months ago.
                let end = (i == 3 && j == 1)
                    .then(|| this_month.first_day() - Months::new(1) - Days::new(1));
                let form = SubscriptionForm {
                    customer_id: Some(*customer),
                    catalog_item_id: Some(item.id),
                    description: item.item.name.clone(),
                    quantity: if annual {
                        "1".into()
                    } else {
                        seats.to_string()
                    },
                    unit: item.item.unit.clone(),
                    unit_price: item.item.price.to_string(),
                    unit_cost: item.item.cost.to_string(),
                    discount_percent: "0".into(),
                    tax_rate_percent: item.item.tax_rate_percent.to_string(),
                    interval: if annual { "annual" } else { "monthly" }.into(),
                    start_date: start.to_string(),
                    end_date: end.map(|d| d.to_string()).unwrap_or_default(),
                };
                self.save_subscription(None, &form)?;
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
        Ok(())
    }
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
        let count = |status: &str| rows.iter().filter(|r| r.status == status).count();
        eprintln!(
            "paid {} overdue {} partly {} issued {}",
            count("paid"),
            count("overdue"),
            count("partially_paid"),
            count("issued")
        );
        assert!(count("paid") > 50, "{} paid", count("paid"));
        assert!(count("overdue") >= 2 && count("partially_paid") >= 1);
        assert_eq!(rows.iter().filter(|r| r.kind == "credit_note").count(), 1);
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
