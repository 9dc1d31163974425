//! From the store to a document: the view model of a quote, with every figure taken from
//! the engine's totals and formatted for the company's locale.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde_json::Value;
use vardesk_core::format::{format_decimal, format_money, format_price, format_quantity};
use vardesk_core::lines::{Line, LineKind, TaxRow};
use vardesk_core::settings::{PaperSize, Settings};
use vardesk_core::{CoreError, Currency};
use vardesk_store::quotes::QuoteRecord;
use vardesk_store::settings::company_snapshot;
use vardesk_store::Store;

use crate::blocks::{Party, PrintedLine};
use crate::invoice::{render_invoice, InvoiceDocument};
use crate::layout::Paper;
use crate::quote::{render_quote, PrintedPart, QuoteDocument};

/// A text field of a snapshot-shaped object, trimmed ("" when absent).
fn field(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or("")
        .trim()
        .to_string()
}

/// The parts that are not empty, joined with `separator`.
fn join_present(parts: impl IntoIterator<Item = String>, separator: &str) -> String {
    parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(separator)
}

/// A customer in the shape of an issued invoice's snapshot.
fn customer_value(c: &vardesk_core::customer::CustomerData) -> Value {
    serde_json::json!({
        "name": c.name, "address_line1": c.address_line1, "address_line2": c.address_line2,
        "postal_code": c.postal_code, "city": c.city, "country": c.country, "tax_id": c.tax_id,
    })
}

/// A party block from a snapshot-shaped object (company or customer).
fn party(v: &Value) -> Party {
    let text = |key: &str| field(v, key);
    let place = join_present(
        [
            join_present([text("postal_code"), text("city")], " "),
            text("country"),
        ],
        ", ",
    );
    let contact = join_present([text("email"), text("phone")], " · ");
    let tax = if text("tax_id").is_empty() {
        String::new()
    } else {
        format!("Tax id {}", text("tax_id"))
    };
    let lines = [
        text("address_line1"),
        text("address_line2"),
        place,
        contact,
        tax,
    ]
    .into_iter()
    .filter(|l| !l.is_empty())
    .collect();
    Party {
        name: text("name"),
        lines,
    }
}

fn company(s: &Settings) -> Party {
    party(&company_snapshot(s))
}

fn footer(company: &Value) -> String {
    let text = |key: &str| field(company, key);
    let tax = if text("tax_id").is_empty() {
        String::new()
    } else {
        format!("Tax id {}", text("tax_id"))
    };
    let iban = vardesk_core::settings::grouped_iban(&text("iban"));
    let bank = join_present([text("bank_name"), iban, text("bic")], " · ");
    let tax_number = if text("tax_number").is_empty() {
        String::new()
    } else {
        format!("Tax number {}", text("tax_number"))
    };
    let directors = if text("managing_directors").is_empty() {
        String::new()
    } else {
        format!("Managing directors: {}", text("managing_directors"))
    };
    // The legal details a company must print (DE: register court and number, directors).
    let legal = join_present([text("legal_registration"), directors], " · ");
    join_present([text("name"), legal, bank, tax, tax_number], " — ")
}

/// A document line as printed: every figure formatted, amounts with their currency.
fn printed_line(line: &Line, net: Decimal, currency: Currency, locale: &str) -> PrintedLine {
    let discount = line.discount_percent.unwrap_or_default();
    PrintedLine {
        description: line.description.clone(),
        quantity: format_quantity(line.quantity, locale),
        unit: line.unit.clone(),
        unit_price: format!(
            "{} {}",
            format_price(line.unit_price, currency, locale),
            currency.code()
        ),
        discount: if discount.is_zero() {
            String::new()
        } else {
            format!("{} %", format_quantity(discount, locale))
        },
        amount: format_money(net, currency, locale),
    }
}

fn tax_rows(taxes: &[TaxRow], currency: Currency, locale: &str) -> Vec<(String, String)> {
    taxes
        .iter()
        .map(|t| {
            (
                format!(
                    "Tax {} % on {}",
                    format_decimal(t.rate_percent, locale),
                    format_money(t.base, currency, locale)
                ),
                format_money(t.tax, currency, locale),
            )
        })
        .collect()
}

fn date(text: &str, locale: &str) -> String {
    match text.parse::<NaiveDate>() {
        Ok(d) if locale.starts_with("en-US") => d.format("%m/%d/%Y").to_string(),
        Ok(d) if locale.starts_with("en") => d.format("%-d %b %Y").to_string(),
        Ok(d) => d.format("%d.%m.%Y").to_string(),
        Err(_) => text.to_string(),
    }
}

/// The quote as its customer sees it.
pub fn quote_document(store: &Store, q: &QuoteRecord) -> Result<QuoteDocument, CoreError> {
    let s = store.require_settings()?;
    let customer = store.customer(q.customer_id)?.data;
    let locale = s.locale.as_str();
    let currency = Currency::parse(&q.form.currency)?;
    let money = |d| format_money(d, currency, locale);
    let totals = q
        .totals
        .as_ref()
        .ok_or_else(|| CoreError::validation("quote", "This quote's totals cannot be computed."))?;

    let mut parts = Vec::new();
    let sections = [
        (
            LineKind::OneTime,
            "One-time: migration project",
            &totals.one_time,
            "Total one-time",
        ),
        (
            LineKind::Monthly,
            "Recurring services per month",
            &totals.monthly,
            "Total per month",
        ),
        (
            LineKind::Annual,
            "Recurring services per year",
            &totals.annual,
            "Total per year",
        ),
    ];
    for (kind, heading, part, total_label) in sections {
        let lines: Vec<PrintedLine> = q
            .lines
            .iter()
            .filter(|p| p.line.line.kind == kind)
            .map(|p| printed_line(&p.line.line, p.net, currency, locale))
            .collect();
        if lines.is_empty() {
            continue;
        }
        let mut rows = vec![("Subtotal".to_string(), money(part.net))];
        rows.extend(tax_rows(&part.taxes, currency, locale));
        rows.push((total_label.to_string(), money(part.total)));
        parts.push(PrintedPart {
            heading: heading.into(),
            lines,
            totals: rows,
        });
    }

    let mut summary = Vec::new();
    if !totals.one_time.net.is_zero() {
        summary.push((
            "One-time project (incl. tax)".to_string(),
            money(totals.one_time.total),
        ));
    }
    if !totals.monthly.net.is_zero() {
        summary.push((
            "Per month (incl. tax)".to_string(),
            money(totals.monthly.total),
        ));
    }
    if !totals.annual.net.is_zero() {
        summary.push((
            "Per year (incl. tax)".to_string(),
            money(totals.annual.total),
        ));
    }
    summary.push((
        "First year (net of tax)".to_string(),
        money(totals.first_year),
    ));

    let mut customer_block = party(&customer_value(&customer));
    if !customer.contact_name.is_empty() {
        customer_block
            .lines
            .insert(0, format!("Attn. {}", customer.contact_name));
    }

    let start = q.form.expected_start.clone() + "-01";
    Ok(QuoteDocument {
        paper: match s.paper_size {
            PaperSize::A4 => Paper::A4,
            PaperSize::Letter => Paper::Letter,
        },
        number: q.number.clone(),
        version: q.version,
        date: date(&q.form.quote_date, locale),
        valid_until: date(&q.form.valid_until, locale),
        services_start: start
            .parse::<NaiveDate>()
            .map(|d| d.format("%B %Y").to_string())
            .unwrap_or(start),
        company: company(&s),
        logo: store.logo()?,
        customer: customer_block,
        subject: q.form.title.clone(),
        parts,
        summary,
        notes: q.form.notes.clone(),
        terms: q.form.terms.clone(),
        footer: footer(&company_snapshot(&s)),
    })
}

/// The quote's PDF bytes.
pub fn quote_pdf(store: &Store, q: &QuoteRecord) -> Result<Vec<u8>, CoreError> {
    Ok(render_quote(&quote_document(store, q)?))
}

/// The invoice as its customer sees it. An issued invoice prints the company and customer
/// as they were on its issue date, so it renders the same later.
pub fn invoice_document(
    store: &Store,
    id: i64,
    today: NaiveDate,
) -> Result<InvoiceDocument, CoreError> {
    let inv = store.invoice(id, today)?;
    let settings = store.require_settings()?;
    let company = inv
        .company_snapshot
        .clone()
        .unwrap_or_else(|| company_snapshot(&settings));
    let customer = match &inv.customer_snapshot {
        Some(snapshot) => snapshot.clone(),
        None => customer_value(&store.customer(inv.row.customer_id)?.data),
    };
    let locale = company
        .get("locale")
        .and_then(Value::as_str)
        .unwrap_or(&settings.locale)
        .to_string();
    let locale = locale.as_str();
    let currency = inv.row.currency;
    let money = |d| format_money(d, currency, locale);
    let lines = inv
        .lines
        .iter()
        .zip(&inv.nets)
        .map(|(line, net)| printed_line(line, *net, currency, locale))
        .collect();
    let mut totals = vec![("Subtotal".to_string(), money(inv.totals.subtotal))];
    totals.extend(tax_rows(&inv.totals.taxes, currency, locale));
    totals.push(("Total".to_string(), money(inv.totals.total)));
    let credit_note = inv.row.kind == "credit_note";
    let mut summary = Vec::new();
    if credit_note {
        summary.push(("Amount credited".to_string(), money(inv.totals.total)));
    } else {
        // The invoice as issued: what is due. Payments and credit notes are recorded beside
        // it (the app's invoice view, the credit note's own PDF), so a reprint reads the same
        // as the original.
        if inv.row.number.is_some() {
            summary.push(("Amount due".to_string(), money(inv.totals.total)));
        }
    }
    let (title, meta) = match (&inv.row.number, &inv.row.issue_date, &inv.row.due_date) {
        (Some(number), Some(issued), _) if credit_note => (
            "Credit note".to_string(),
            vec![
                ("Number".to_string(), number.clone()),
                ("Date".to_string(), date(issued, locale)),
                (
                    "Credits invoice".to_string(),
                    inv.row.credits.clone().unwrap_or_default(),
                ),
            ],
        ),
        (Some(number), Some(issued), Some(due)) => {
            let mut meta = vec![
                ("Number".to_string(), number.clone()),
                ("Date".to_string(), date(issued, locale)),
                ("Due".to_string(), date(due, locale)),
            ];
            if inv.row.status == "void" {
                let credited_by: Vec<&str> =
                    inv.credit_notes.iter().map(|c| c.number.as_str()).collect();
                meta.push((
                    "Status".to_string(),
                    format!("Void, credited by {}", credited_by.join(", ")),
                ));
            }
            ("Invoice".to_string(), meta)
        }
        _ => (
            "Draft invoice".to_string(),
            vec![("Status".to_string(), "Not yet issued".to_string())],
        ),
    };
    let text = |key: &str| field(&company, key);
    let payment_instructions = match (&inv.row.number, &inv.row.due_date) {
        (Some(number), Some(due)) if !credit_note && inv.row.status != "void" => {
            let mut how = format!(
                "Please pay {} by {} quoting {number}.",
                money(inv.totals.total),
                date(due, locale)
            );
            if !text("iban").is_empty() {
                let bic = if text("bic").is_empty() {
                    String::new()
                } else {
                    format!("BIC {}", text("bic"))
                };
                let bank = join_present(
                    [
                        text("bank_name"),
                        format!(
                            "IBAN {}",
                            vardesk_core::settings::grouped_iban(&text("iban"))
                        ),
                        bic,
                    ],
                    ", ",
                );
                how.push_str(&format!(" Bank: {bank}."));
            }
            how
        }
        _ => String::new(),
    };
    Ok(InvoiceDocument {
        // An issued invoice keeps the paper it was issued on.
        paper: match (field(&company, "paper_size").as_str(), settings.paper_size) {
            ("Letter", _) | ("", PaperSize::Letter) => Paper::Letter,
            _ => Paper::A4,
        },
        title,
        meta,
        company: party(&company),
        logo: store.document_logo(id)?,
        customer: party(&customer),
        lines,
        totals,
        summary,
        payment_instructions,
        // A credit note prints why it was issued after what it credits.
        notes: if inv.reason.trim().is_empty() {
            inv.notes.clone()
        } else {
            format!("{} Reason: {}", inv.notes, inv.reason.trim())
        },
        footer: footer(&company),
        id: inv
            .row
            .number
            .clone()
            .unwrap_or_else(|| format!("draft-{id}")),
    })
}

/// The invoice's PDF bytes.
pub fn invoice_pdf(store: &Store, id: i64, today: NaiveDate) -> Result<Vec<u8>, CoreError> {
    Ok(render_invoice(&invoice_document(store, id, today)?))
}
