//! The ledger from a script (CLI.md): settings, customers, subscriptions, payments, refunds,
//! reversals and credit notes, each through the same store functions and checks as the
//! window.

use std::path::Path;

use clap::Subcommand;
use serde_json::{json, Value};
use vardesk_core::customer::CustomerForm;
use vardesk_core::invoicing::{CreditLineForm, SubscriptionForm};
use vardesk_core::settings::SettingsForm;
use vardesk_core::treatment::TaxKey;
use vardesk_core::CoreError;
use vardesk_store::credits::{CreditOrder, FixedCreditForm};
use vardesk_store::today;
use vardesk_store::Store;

use crate::print_json;

#[derive(Subcommand)]
pub enum SettingsCommand {
    /// Set one setting (keys: CLI.md).
    Set { key: String, value: String },
}

#[derive(Subcommand)]
pub enum SubscriptionsCommand {
    List {
        #[arg(long)]
        customer: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// Import running subscriptions from the previous tool, each billed from the next month
    /// it has not billed (DOMAIN.md §11).
    Import {
        file: std::path::PathBuf,
        #[command(flatten)]
        mapping: crate::moving_in::MappingArgs,
        #[arg(long)]
        dry_run: bool,
        #[arg(long)]
        json: bool,
    },
    Add {
        #[arg(long)]
        customer: i64,
        #[arg(long)]
        description: String,
        #[arg(long, allow_negative_numbers = true)]
        quantity: String,
        #[arg(long, allow_negative_numbers = true)]
        price: String,
        #[arg(long, allow_negative_numbers = true)]
        tax: String,
        #[arg(long)]
        interval: String,
        #[arg(long)]
        start: String,
        #[arg(long, allow_negative_numbers = true)]
        discount: Option<String>,
        #[arg(long, allow_negative_numbers = true)]
        cost: Option<String>,
        #[arg(long)]
        unit: Option<String>,
        #[arg(long)]
        end: Option<String>,
        #[command(flatten)]
        licence: LicenceArgs,
        #[arg(long)]
        json: bool,
    },
    Edit {
        id: i64,
        #[arg(long, allow_negative_numbers = true)]
        quantity: Option<String>,
        #[arg(long, allow_negative_numbers = true)]
        price: Option<String>,
        #[arg(long, allow_negative_numbers = true)]
        discount: Option<String>,
        #[arg(long)]
        start: Option<String>,
        #[arg(long)]
        interval: Option<String>,
        #[arg(long)]
        end: Option<String>,
        #[command(flatten)]
        licence: LicenceArgs,
        #[arg(long)]
        json: bool,
    },
}

/// A Microsoft licence's NCE terms (DOMAIN.md §10) on `subscriptions add|edit`.
#[derive(clap::Args)]
pub struct LicenceArgs {
    /// P1M, P1Y or P3Y: makes the subscription a Microsoft licence ("none" on edit: a plain
    /// subscription again).
    #[arg(long)]
    term: Option<String>,
    /// How the partner pays Microsoft: monthly, annual or upfront (default: the interval).
    #[arg(long)]
    billing: Option<String>,
    /// End the first term with another subscription of the customer (its id), or
    /// "month_end".
    #[arg(long)]
    coterm_with: Option<String>,
    /// "off": the licence ends at its term's end instead of renewing.
    #[arg(long)]
    auto_renew: Option<String>,
    #[arg(long)]
    ms_subscription_id: Option<String>,
    #[arg(long)]
    product_id: Option<String>,
    #[arg(long)]
    sku_id: Option<String>,
}

impl LicenceArgs {
    /// Sets the licence fields the flags give on `form`.
    fn apply(self, form: &mut SubscriptionForm) -> Result<(), CoreError> {
        if let Some(term) = self.term {
            form.term = if term.eq_ignore_ascii_case("none") {
                String::new()
            } else {
                term
            };
            if form.term.is_empty() {
                form.billing.clear();
                form.ms_subscription_id.clear();
            }
        }
        let set = |slot: &mut String, v: Option<String>| {
            if let Some(v) = v {
                *slot = v;
            }
        };
        set(&mut form.billing, self.billing);
        set(&mut form.coterm_with, self.coterm_with);
        set(&mut form.ms_subscription_id, self.ms_subscription_id);
        set(&mut form.ms_product_id, self.product_id);
        set(&mut form.ms_sku_id, self.sku_id);
        if let Some(a) = self.auto_renew {
            form.auto_renew = Some(match a.to_ascii_lowercase().as_str() {
                "on" | "true" | "yes" => true,
                "off" | "false" | "no" => false,
                _ => {
                    return Err(refused(
                        "auto_renew",
                        format!("--auto-renew \"{a}\" must be on or off."),
                    ))
                }
            });
        }
        Ok(())
    }
}

/// `customers add`'s options.
#[derive(clap::Args)]
pub struct CustomerAdd {
    #[arg(long)]
    name: String,
    #[arg(long)]
    country: Option<String>,
    #[arg(long)]
    currency: Option<String>,
    #[arg(long)]
    email: Option<String>,
    #[arg(long)]
    address_line1: Option<String>,
    #[arg(long)]
    postal_code: Option<String>,
    #[arg(long)]
    city: Option<String>,
    #[arg(long)]
    vat_id: Option<String>,
    /// auto (default), domestic, reverse_charge, outside_eu or exempt.
    #[arg(long)]
    tax_treatment: Option<String>,
    /// Why an exempt customer is exempt (printed on its invoices).
    #[arg(long)]
    exemption_reason: Option<String>,
    /// BT-10, e.g. a German public body's Leitweg-ID.
    #[arg(long)]
    buyer_reference: Option<String>,
    #[arg(long)]
    peppol_id: Option<String>,
    /// en, de, fr, nl, es, it, pl, sv or da (default: the country's).
    #[arg(long)]
    language: Option<String>,
    #[arg(long)]
    payment_terms: Option<String>,
    /// The customer's Microsoft tenant id (a GUID), as the distributor's bill names it.
    #[arg(long)]
    tenant_id: Option<String>,
    /// The customer's Microsoft domain, e.g. contoso.onmicrosoft.com.
    #[arg(long)]
    tenant_domain: Option<String>,
    #[arg(long)]
    json: bool,
}

fn refused(field: &str, message: String) -> CoreError {
    CoreError::validation(field, message)
}

/// Settings keys the store keeps today and the form field each one sets.
fn settings_slot<'a>(form: &'a mut SettingsForm, key: &str) -> Option<&'a mut String> {
    Some(match key {
        "company_name" => &mut form.company_name,
        "country" => &mut form.country,
        "vat_id" => &mut form.tax_id,
        "phone" => &mut form.phone,
        "email" => &mut form.email,
        "address_line1" => &mut form.address_line1,
        "postal_code" => &mut form.postal_code,
        "city" => &mut form.city,
        "iban" => &mut form.iban,
        "bic" => &mut form.bic,
        "invoice_number_template" => &mut form.invoice_number_template,
        "credit_note_number_template" => &mut form.credit_note_number_template,
        "default_tax_rate" => &mut form.default_tax_rate_percent,
        "payment_terms_days" => &mut form.payment_terms_days,
        "locale" => &mut form.locale,
        "currency" => &mut form.default_currency,
        "tax_number" => &mut form.tax_number,
        "legal_registration" => &mut form.legal_registration,
        "managing_directors" => &mut form.managing_directors,
        "contact_name" => &mut form.contact_name,
        "electronic_address" => &mut form.electronic_address,
        _ => return None,
    })
}

const SETTINGS_KEYS: &str = "company_name, country, vat_id, phone, email, address_line1, \
    postal_code, city, iban, bic, invoice_number_template, credit_note_number_template, \
    default_tax_rate, payment_terms_days, locale, currency, tax_number, legal_registration, \
    managing_directors, contact_name, electronic_address, small_business, oss, \
    next_invoice_number, next_credit_note_number";

pub fn settings(path: &Path, command: SettingsCommand) -> Result<(), CoreError> {
    let mut store = Store::open(path)?;
    let SettingsCommand::Set { key, value } = command;
    let mut form = match store.settings()? {
        Some(s) => SettingsForm::from_settings(&s),
        None => SettingsForm::first_run(),
    };
    // Continuing the previous system's series (§11): the number the next document gets.
    if let Some(sequence) = match key.trim() {
        "next_invoice_number" => Some("invoice"),
        "next_credit_note_number" => Some("credit_note"),
        _ => None,
    } {
        let next: u64 = value.trim().parse().map_err(|_| {
            refused(
                "value",
                format!("{} is a whole number, not \"{value}\".", key.trim()),
            )
        })?;
        let today = today();
        let series = store.continue_series(sequence, next, today)?;
        println!(
            "The next {} is {}.",
            if sequence == "invoice" {
                "invoice"
            } else {
                "credit note"
            },
            series.next_number
        );
        return Ok(());
    }
    if matches!(key.trim(), "small_business" | "oss") {
        let on = match value.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "1" | "on" => true,
            "false" | "no" | "0" | "off" => false,
            _ => {
                return Err(refused(
                    "value",
                    format!("{} is true or false, not \"{value}\".", key.trim()),
                ))
            }
        };
        if key.trim() == "oss" {
            form.oss = on;
        } else {
            form.small_business = on;
        }
        store.save_settings(&form)?;
        println!("{key} set.");
        return Ok(());
    }
    let Some(slot) = settings_slot(&mut form, key.trim()) else {
        return Err(refused(
            "key",
            format!("\"{key}\" is not a setting VarDesk knows; the keys are {SETTINGS_KEYS}."),
        ));
    };
    *slot = value;
    store.save_settings(&form)?;
    println!("{key} set.");
    Ok(())
}

/// `init --company`: an empty file with a company profile, ready for every command.
pub fn init_company(
    path: &Path,
    company: &str,
    country: Option<&str>,
    currency: Option<&str>,
    locale: Option<&str>,
) -> Result<(), CoreError> {
    let Some(country) = country else {
        return Err(refused(
            "country",
            "init --company needs --country (the company's country, e.g. DE).".into(),
        ));
    };
    let mut form = SettingsForm {
        company_name: company.to_string(),
        country: country.to_string(),
        ..SettingsForm::first_run()
    };
    if let Some(c) = currency {
        form.default_currency = c.to_string();
    }
    if let Some(l) = locale {
        form.locale = l.to_string();
    }
    // Check before the file exists, so a refused profile leaves no file behind.
    if let Err(errors) = form.validate() {
        let first = &errors[0];
        return Err(refused(&first.field, first.message.clone()));
    }
    let mut store = Store::open_or_create(path)?;
    store.save_settings(&form)?;
    store.mark_sample_data_answered()?;
    println!("Created {} for {company}.", path.display());
    Ok(())
}

pub fn add_customer(path: &Path, add: CustomerAdd) -> Result<(), CoreError> {
    let mut store = Store::open(path)?;
    let settings = store.require_settings()?;
    let or = |v: Option<String>| v.unwrap_or_default();
    let form = CustomerForm {
        name: add.name,
        country: add.country.unwrap_or_else(|| settings.country.clone()),
        currency: add
            .currency
            .unwrap_or_else(|| settings.default_currency.code().to_string()),
        email: or(add.email),
        address_line1: or(add.address_line1),
        postal_code: or(add.postal_code),
        city: or(add.city),
        vat_id: or(add.vat_id),
        tax_treatment: or(add.tax_treatment),
        exemption_reason: or(add.exemption_reason),
        buyer_reference: or(add.buyer_reference),
        peppol_id: or(add.peppol_id),
        language: or(add.language),
        tenant_id: or(add.tenant_id),
        tenant_domain: or(add.tenant_domain),
        payment_terms_days: add
            .payment_terms
            .unwrap_or_else(|| settings.payment_terms_days.to_string()),
        status: "active".into(),
        ..Default::default()
    };
    let record = store.create_customer(&form)?;
    if add.json {
        print_json(&json!({ "id": record.id }));
    } else {
        println!("Added customer {}: {}.", record.id, record.data.name);
    }
    Ok(())
}

/// What a licence's seats did (§10), in sentences.
fn print_seats(saved: &vardesk_store::subscriptions::SavedSubscription) {
    if !saved.added.is_zero() {
        println!(
            "{} seat(s) added: billed for the rest of the period on the next invoice.",
            saved.added.normalize()
        );
    }
    if !saved.removed.is_zero() {
        println!(
            "{} seat(s) removed within their 7-day window.",
            saved.removed.normalize()
        );
    }
    for note in &saved.credit_notes {
        println!("Credit note {note} issued for the removed seats.");
    }
    if let Some((seats, on)) = &saved.at_renewal {
        println!(
            "After the 7-day window a reduction waits for the renewal: {} seat(s) from {on}.",
            seats.normalize()
        );
    }
}

fn subscription_json(store: &Store, id: i64) -> Result<Value, CoreError> {
    let row = store
        .list_subscriptions(today())?
        .into_iter()
        .find(|s| s.id == id)
        .ok_or_else(|| refused("id", format!("Subscription {id} does not exist.")))?;
    let form = store.subscription_form(id)?;
    Ok(json!({
        "id": row.id, "customer_id": row.customer_id, "description": row.description,
        "quantity": row.quantity.normalize().to_string(),
        "price": row.unit_price.normalize().to_string(),
        "discount": row.discount_percent.normalize().to_string(),
        "tax_rate": form.tax_rate_percent.parse::<rust_decimal::Decimal>()
            .map(|d| d.normalize().to_string()).unwrap_or(form.tax_rate_percent),
        "interval": row.interval, "start_date": row.start_date, "end_date": row.end_date,
        "last_billed_period": row.last_billed, "currency": row.currency.code(),
        "term": row.licence.as_ref().map(|l| l.term),
        "billing": row.licence.as_ref().map(|l| l.billing),
        "term_start": row.licence.as_ref().map(|l| &l.term_start),
        "term_end": row.licence.as_ref().map(|l| &l.term_end),
        "renewal_month": row.licence.as_ref().map(|l| &l.renewal_month),
        "auto_renew": row.licence.as_ref().map(|l| l.auto_renew),
        "ms_subscription_id": row.licence.as_ref().map(|l| &l.ms_subscription_id),
        "product_id": row.licence.as_ref().map(|l| &l.ms_product_id),
        "sku_id": row.licence.as_ref().map(|l| &l.ms_sku_id),
        "scheduled_quantity": row.licence.as_ref()
            .and_then(|l| l.seats_at_renewal).map(|q| q.normalize().to_string()),
    }))
}

pub fn subscriptions(path: &Path, command: SubscriptionsCommand) -> Result<(), CoreError> {
    let mut store = Store::open(path)?;
    match command {
        SubscriptionsCommand::Import {
            file,
            mapping,
            dry_run,
            json,
        } => crate::moving_in::import_file(
            &mut store,
            &file,
            &mapping,
            dry_run,
            json,
            "subscription(s)",
            |s, bytes, request| s.preview_subscription_import(bytes, request, today()),
            |s, bytes, request| Ok(s.import_subscriptions(bytes, request, today())?.imported),
        ),
        SubscriptionsCommand::List { customer, json } => {
            let rows: Vec<_> = store
                .list_subscriptions(today())?
                .into_iter()
                .filter(|s| customer.is_none_or(|c| c == s.customer_id))
                .collect();
            if json {
                let list = rows
                    .iter()
                    .map(|r| subscription_json(&store, r.id))
                    .collect::<Result<Vec<_>, _>>()?;
                print_json(&json!({ "subscriptions": list }));
            } else {
                for r in &rows {
                    println!(
                        "{:>5}  {:<32} {:<36} {:>8} × {:>10} {} {:<8} from {}",
                        r.id,
                        r.customer,
                        r.description,
                        r.quantity.normalize(),
                        r.unit_price.normalize(),
                        r.currency,
                        r.interval,
                        r.start_date
                    );
                }
                println!("{} subscription(s)", rows.len());
            }
            Ok(())
        }
        SubscriptionsCommand::Add {
            customer,
            description,
            quantity,
            price,
            tax,
            interval,
            start,
            discount,
            cost,
            unit,
            end,
            licence,
            json,
        } => {
            let mut form = SubscriptionForm {
                customer_id: Some(customer),
                catalog_item_id: None,
                description,
                quantity,
                unit: unit.unwrap_or_else(|| "seat".into()),
                unit_price: price,
                unit_cost: cost.unwrap_or_else(|| "0".into()),
                discount_percent: discount.unwrap_or_else(|| "0".into()),
                tax_rate_percent: tax,
                interval,
                start_date: start,
                end_date: end.unwrap_or_default(),
                ..SubscriptionForm::default()
            };
            licence.apply(&mut form)?;
            let id = store.save_subscription(None, &form)?;
            if json {
                print_json(&json!({ "id": id }));
            } else {
                println!("Added subscription {id}.");
            }
            Ok(())
        }
        SubscriptionsCommand::Edit {
            id,
            quantity,
            price,
            discount,
            start,
            interval,
            end,
            licence,
            json,
        } => {
            let mut form = store.subscription_form(id)?;
            licence.apply(&mut form)?;
            let set = |slot: &mut String, v: Option<String>| {
                if let Some(v) = v {
                    *slot = v;
                }
            };
            set(&mut form.quantity, quantity);
            set(&mut form.unit_price, price);
            set(&mut form.discount_percent, discount);
            set(&mut form.start_date, start);
            set(&mut form.interval, interval);
            set(&mut form.end_date, end);
            let saved = store.save_subscription_on(Some(id), &form, today())?;
            let row = subscription_json(&store, id)?;
            if json {
                print_json(&row);
            } else {
                println!("Subscription {id} changed.");
                print_seats(&saved);
            }
            Ok(())
        }
    }
}

/// `invoices show --json`: the invoice with its lines, tax rows, payments and credit notes.
pub fn invoice_detail_json(store: &Store, id: i64) -> Result<Value, CoreError> {
    let d = store.invoice(id, today())?;
    let c = d.row.currency;
    let m = |v| c.format_plain(v);
    let lines: Vec<Value> = d
        .lines
        .iter()
        .zip(&d.nets)
        .zip(&d.creditable)
        .enumerate()
        .map(|(i, ((l, net), open))| {
            let key = TaxKey::of(l);
            let rate = key.rate;
            json!({
                "line": i + 1, "description": l.description,
                "quantity": l.quantity.normalize().to_string(),
                "unit_price": l.unit_price.normalize().to_string(),
                "discount": l.discount_percent.unwrap_or_default().normalize().to_string(),
                "tax_category": key.category.code(), "tax_rate": rate.to_string(),
                "amount": m(*net),
                "credited_quantity": if d.row.kind == vardesk_core::standing::DocumentKind::Invoice {
                    (l.quantity - open).normalize().to_string()
                } else {
                    "0".to_string()
                },
            })
        })
        .collect();
    let tax: Vec<Value> = d
        .totals
        .taxes
        .iter()
        .map(|t| {
            json!({
                "category": t.category.code(), "rate": t.rate_percent.normalize().to_string(),
                "base": m(t.base), "amount": m(t.tax),
            })
        })
        .collect();
    let payments: Vec<Value> = d
        .payments
        .iter()
        .map(|p| {
            json!({
                "id": p.id, "date": p.paid_on, "amount": m(p.amount), "method": p.method,
                "reference": p.reference, "reverses": p.reverses,
            })
        })
        .collect();
    let notes: Vec<Value> = d
        .credit_notes
        .iter()
        .map(|n| json!({ "id": n.id, "number": n.number, "total": m(n.total) }))
        .collect();
    Ok(json!({
        "id": d.row.id, "number": d.row.number, "kind": d.row.kind, "status": d.row.status,
        "customer_id": d.row.customer_id, "customer": d.row.customer, "currency": c.code(),
        "issue_date": d.row.issue_date, "due_date": d.row.due_date,
        "subtotal": m(d.totals.subtotal), "tax": tax, "total": m(d.row.total),
        "paid": m(d.row.paid), "credited": m(d.row.credited), "balance": m(d.row.balance),
        "lines": lines, "payments": payments, "credit_notes": notes,
        "credits_invoice": d.row.credits, "reason": d.reason, "sent": d.sent,
        "reminders": d.reminders,
    }))
}

fn print_invoice(store: &Store, id: i64, json: bool, summary: &str) -> Result<(), CoreError> {
    if json {
        print_json(&invoice_detail_json(store, id)?);
    } else {
        let r = store.invoice_row(id, today())?;
        println!(
            "{summary}{}: total {} {c}, paid {} {c}, credited {} {c}, balance {} {c} ({}).",
            r.number.as_deref().unwrap_or("(draft)"),
            r.currency.format_plain(r.total),
            r.currency.format_plain(r.paid),
            r.currency.format_plain(r.credited),
            r.currency.format_plain(r.balance),
            r.status,
            c = r.currency
        );
    }
    Ok(())
}

pub fn show(store: &Store, id: i64, json: bool) -> Result<(), CoreError> {
    print_invoice(store, id, json, "")
}

#[allow(clippy::too_many_arguments)]
pub fn pay(
    store: &mut Store,
    id: i64,
    amount: &str,
    date: Option<&str>,
    method: &str,
    reference: &str,
    json: bool,
) -> Result<(), CoreError> {
    let on = parse_date(date)?;
    store.record_payment(id, amount, on, method, reference)?;
    print_invoice(store, id, json, "Recorded. ")
}

pub fn reverse(store: &mut Store, id: i64, payment: i64, json: bool) -> Result<(), CoreError> {
    store.reverse_payment(id, payment, today())?;
    print_invoice(store, id, json, "Reversed. ")
}

fn parse_date(date: Option<&str>) -> Result<chrono::NaiveDate, CoreError> {
    match date {
        None => Ok(today()),
        Some(d) => d.trim().parse().map_err(|_| {
            refused(
                "date",
                format!("The date \"{d}\" must be a date like 2026-12-31."),
            )
        }),
    }
}

pub struct CreditArgs<'a> {
    pub all: bool,
    pub lines: &'a [String],
    pub amounts: &'a [String],
    pub reason: &'a str,
    pub json: bool,
}

pub fn credit(store: &mut Store, id: i64, args: CreditArgs<'_>) -> Result<(), CoreError> {
    let chosen = [args.all, !args.lines.is_empty(), !args.amounts.is_empty()];
    if chosen.iter().filter(|c| **c).count() != 1 {
        return Err(refused(
            "credit",
            "Say what to credit: --all, or --line N:QTY, or --amount CATEGORY:RATE:NET.".into(),
        ));
    }
    let detail = store.invoice(id, today())?;
    let mut lines = Vec::new();
    for spec in args.lines {
        let (n, qty) = spec.split_once(':').unwrap_or((spec, ""));
        let line_id = n
            .trim()
            .parse::<usize>()
            .ok()
            .and_then(|n| n.checked_sub(1))
            .and_then(|i| detail.line_ids.get(i))
            .ok_or_else(|| {
                refused(
                    "line",
                    format!(
                        "--line {spec}: the invoice has lines 1 to {}; write N:QTY.",
                        detail.line_ids.len()
                    ),
                )
            })?;
        lines.push(CreditLineForm {
            line_id: *line_id,
            quantity: qty.to_string(),
        });
    }
    let mut amounts = Vec::new();
    for spec in args.amounts {
        let parts: Vec<&str> = spec.splitn(3, ':').collect();
        let [category, rate, net] = parts[..] else {
            return Err(refused(
                "amount",
                format!("--amount {spec}: write CATEGORY:RATE:NET, e.g. S:19:100.00."),
            ));
        };
        amounts.push(FixedCreditForm {
            category: category.to_string(),
            rate: rate.to_string(),
            net: net.to_string(),
        });
    }
    let order = CreditOrder {
        everything: args.all,
        lines: &lines,
        amounts: &amounts,
        reason: args.reason,
    };
    let note = store.credit(id, &order, today())?;
    if args.json {
        print_json(&json!({
            "credit_note": {
                "id": note.id, "number": note.number,
                "total": note.currency.format_plain(note.total),
            },
            "invoice": invoice_detail_json(store, id)?,
        }));
    } else {
        println!(
            "Issued {} for {} {}.",
            note.number.as_deref().unwrap_or("?"),
            note.currency.format_plain(note.total),
            note.currency
        );
        print_invoice(store, id, false, "")?;
    }
    Ok(())
}
