//! From the store to a document: the view model of a quote, with every figure taken from
//! the engine's totals and formatted for the company's locale.

use chrono::NaiveDate;
use vardesk_core::format::{format_decimal, format_money, format_price, format_quantity};
use vardesk_core::lines::{LineKind, TaxRow};
use vardesk_core::settings::{PaperSize, Settings};
use vardesk_core::{CoreError, Currency};
use vardesk_store::quotes::QuoteRecord;
use vardesk_store::Store;

use crate::layout::Paper;
use crate::quote::{render_quote, Party, PrintedLine, PrintedPart, QuoteDocument};

fn company(s: &Settings) -> Party {
    let mut lines = Vec::new();
    let street = [s.address_line1.as_str(), s.address_line2.as_str()];
    lines.extend(
        street
            .iter()
            .filter(|l| !l.is_empty())
            .map(|l| l.to_string()),
    );
    let city = [s.postal_code.as_str(), s.city.as_str()]
        .join(" ")
        .trim()
        .to_string();
    let place = [city.as_str(), s.country.as_str()]
        .iter()
        .filter(|p| !p.is_empty())
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if !place.is_empty() {
        lines.push(place);
    }
    let contact = [s.email.as_str(), s.phone.as_str()]
        .iter()
        .filter(|p| !p.is_empty())
        .cloned()
        .collect::<Vec<_>>()
        .join(" · ");
    if !contact.is_empty() {
        lines.push(contact);
    }
    if !s.tax_id.is_empty() {
        lines.push(format!("Tax id {}", s.tax_id));
    }
    Party {
        name: s.company_name.clone(),
        lines,
    }
}

fn footer(s: &Settings) -> String {
    let mut parts = vec![s.company_name.clone()];
    if !s.bank_name.is_empty() || !s.iban.is_empty() {
        let bank = [s.bank_name.as_str(), s.iban.as_str(), s.bic.as_str()]
            .iter()
            .filter(|p| !p.is_empty())
            .cloned()
            .collect::<Vec<_>>()
            .join(" · ");
        parts.push(bank);
    }
    if !s.tax_id.is_empty() {
        parts.push(format!("Tax id {}", s.tax_id));
    }
    parts.join(" — ")
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
            .map(|p| {
                let line = &p.line.line;
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
                    amount: money(p.net),
                }
            })
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

    let mut customer_lines = Vec::new();
    if !customer.contact_name.is_empty() {
        customer_lines.push(format!("Attn. {}", customer.contact_name));
    }
    for line in [&customer.address_line1, &customer.address_line2] {
        if !line.is_empty() {
            customer_lines.push(line.clone());
        }
    }
    let city = format!("{} {}", customer.postal_code, customer.city)
        .trim()
        .to_string();
    let place: Vec<&str> = [city.as_str(), customer.country.as_str()]
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect();
    if !place.is_empty() {
        customer_lines.push(place.join(", "));
    }
    if !customer.tax_id.is_empty() {
        customer_lines.push(format!("Tax id {}", customer.tax_id));
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
        customer: Party {
            name: customer.name.clone(),
            lines: customer_lines,
        },
        subject: q.form.title.clone(),
        parts,
        summary,
        notes: q.form.notes.clone(),
        terms: q.form.terms.clone(),
        footer: footer(&s),
    })
}

/// The quote's PDF bytes.
pub fn quote_pdf(store: &Store, q: &QuoteRecord) -> Result<Vec<u8>, CoreError> {
    Ok(render_quote(&quote_document(store, q)?))
}
