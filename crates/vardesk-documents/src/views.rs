//! From the store to a document: the view model of a quote, with every figure taken from
//! the engine's totals and formatted for the company's locale.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde_json::Value;
use vardesk_core::format::{format_decimal, format_money, format_price, format_quantity};
use vardesk_core::i18n::{texts, Texts};
use vardesk_core::lines::{Line, LineKind, TaxRow};
use vardesk_core::settings::{PaperSize, Settings};
use vardesk_core::treatment::TaxCategory;
use vardesk_core::{CoreError, Currency};
use vardesk_store::quotes::QuoteRecord;
use vardesk_store::settings::company_snapshot;
use vardesk_store::Store;

use vardesk_pdf::blocks::{Labels, LineColumns, Party, PrintedLine};
use vardesk_pdf::invoice::{render_invoice, InvoiceDocument};
use vardesk_pdf::layout::Paper;
use vardesk_pdf::quote::{render_quote, PrintedPart, QuoteDocument};

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
        "vat_id": c.taxes.vat_id, "buyer_reference": c.taxes.buyer_reference,
        "language": vardesk_core::language::of_customer(&c.taxes.language, &c.country),
    })
}

/// The language a document prints in and the locale of its digits and dates.
pub(crate) struct Words {
    t: &'static Texts,
    locale: String,
}

impl Words {
    pub(crate) fn new(language: &str, company_locale: &str) -> Words {
        let t = texts(language);
        Words {
            t,
            locale: t.locale(company_locale).to_string(),
        }
    }

    fn labels(&self, recipient: &str) -> Labels {
        let t = self.t;
        Labels {
            recipient: t.get(recipient).into(),
            columns: [
                "table.description",
                "table.quantity",
                "table.unit",
                "table.unit_price",
                "table.discount",
                "table.amount",
            ]
            .map(|k| t.get(k).to_string()),
            notes: t.get("section.notes").into(),
            terms: t.get("section.terms").into(),
            payment: t.get("section.payment").into(),
            tax: t.get("section.tax").into(),
            page_of: t.get("page.of").into(),
        }
    }

    pub(crate) fn date(&self, text: &str) -> String {
        match text.parse::<NaiveDate>() {
            Ok(d) => self.t.date(d, &self.locale),
            Err(_) => text.to_string(),
        }
    }

    pub(crate) fn money(&self, amount: Decimal, currency: Currency) -> String {
        format_money(amount, currency, &self.locale)
    }
}

/// "Bank details: <bank>, IBAN …, BIC …" in the document's language, when the company has
/// an IBAN.
fn bank_sentence(company: &Value, t: &Texts) -> Option<String> {
    let text = |key: &str| field(company, key);
    if text("iban").is_empty() {
        return None;
    }
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
    Some(t.fill("payment.bank", &[("bank", &bank)]))
}

/// A party block from a snapshot-shaped object (company or customer). The country is named
/// in the document's language when it is not `home` (domestic addresses leave it out).
/// A company's `tax_id` is its VAT ID; a customer's is another national number.
fn party(v: &Value, w: &Words, home: &str, company: bool) -> Party {
    let text = |key: &str| field(v, key);
    let country = text("country");
    let country = if country.is_empty() || country.eq_ignore_ascii_case(home) {
        String::new()
    } else {
        w.t.country(&country)
    };
    let contact = join_present([text("email"), text("phone")], " · ");
    let (vat_id, other) = if company {
        (text("tax_id"), String::new())
    } else {
        (text("vat_id"), text("tax_id"))
    };
    let vat = match vat_id.as_str() {
        "" => String::new(),
        id => w.t.fill("party.vat_id", &[("id", id)]),
    };
    let other = match other.as_str() {
        "" => String::new(),
        id => w.t.fill("party.tax_number", &[("id", id)]),
    };
    let lines = [
        text("address_line1"),
        text("address_line2"),
        vardesk_core::i18n::place(&text("postal_code"), &text("city"), &text("country")),
        country,
        contact,
        vat,
        other,
    ]
    .into_iter()
    .filter(|l| !l.is_empty())
    .collect();
    Party {
        name: text("name"),
        lines,
    }
}

fn footer(company: &Value, w: &Words) -> String {
    let text = |key: &str| field(company, key);
    let tax = match text("tax_id").as_str() {
        "" => String::new(),
        id => w.t.fill("party.vat_id", &[("id", id)]),
    };
    let iban = vardesk_core::settings::grouped_iban(&text("iban"));
    let bank = join_present([text("bank_name"), iban, text("bic")], " · ");
    let tax_number = match text("tax_number").as_str() {
        "" => String::new(),
        n => w.t.fill("party.tax_number", &[("id", n)]),
    };
    let directors = match text("managing_directors").as_str() {
        "" => String::new(),
        names => w.t.fill("party.managing_directors", &[("names", names)]),
    };
    // The legal details a company must print (DE: register court and number, directors):
    // who it is, who runs it with its tax ids, and where to pay — one short line each.
    let who = join_present([text("name"), text("legal_registration")], " · ");
    let run_by = join_present([directors, tax, tax_number], " · ");
    join_present([who, run_by, bank], "\n")
}

/// A document line as printed: every figure formatted, amounts with their currency.
fn printed_line(line: &Line, net: Decimal, currency: Currency, w: &Words) -> PrintedLine {
    let locale = w.locale.as_str();
    let discount = line.discount_percent.unwrap_or_default();
    PrintedLine {
        description: line.description.clone(),
        quantity: format_quantity(line.quantity, locale),
        unit: w.t.unit(&line.unit),
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
        amount: w.money(net, currency),
    }
}

/// One row per (rate, category): "Tax 19 % on …", or "Reverse charge, 0 % on …".
fn tax_rows(taxes: &[TaxRow], currency: Currency, w: &Words) -> Vec<(String, String)> {
    taxes
        .iter()
        .map(|t| {
            let base = w.money(t.base, currency);
            let label = if t.category.taxed() {
                w.t.fill(
                    "totals.tax_on",
                    &[
                        ("rate", &format_decimal(t.rate_percent, &w.locale)),
                        ("base", &base),
                    ],
                )
            } else {
                let key = format!("category.{}", t.category.code());
                w.t.fill(
                    "totals.untaxed_on",
                    &[("category", w.t.get(&key)), ("base", &base)],
                )
            };
            (label, w.money(t.tax, currency))
        })
        .collect()
}

/// The sentences the document's categories require (§9), once each.
fn legal_sentences(
    taxes: &[TaxRow],
    w: &Words,
    exemption_reason: &str,
    small_business_law: Option<&str>,
) -> Vec<String> {
    let mut categories: Vec<TaxCategory> = taxes.iter().map(|t| t.category).collect();
    categories.sort();
    categories.dedup();
    categories
        .into_iter()
        .filter_map(|c| match c {
            TaxCategory::S | TaxCategory::Z => None,
            TaxCategory::E => Some(match small_business_law {
                Some(law) => w.t.fill("legal.small_business", &[("law", law)]),
                None => w.t.fill("legal.E", &[("reason", exemption_reason)]),
            }),
            c => Some(w.t.get(&format!("legal.{}", c.code())).to_string()),
        })
        .collect()
}

fn company_law(s: &Settings) -> Option<&'static str> {
    s.small_business
        .then(|| vardesk_core::i18n::small_business_law(&s.country))
}

/// The quote as its customer sees it, in the customer's language.
pub fn quote_document(store: &Store, q: &QuoteRecord) -> Result<QuoteDocument, CoreError> {
    let s = store.require_settings()?;
    let customer = store.customer(q.customer_id)?.data;
    let w = Words::new(
        vardesk_core::language::of_customer(&customer.taxes.language, &customer.country),
        &s.locale,
    );
    let t = w.t;
    let currency = Currency::parse(&q.form.currency)?;
    let money = |d| w.money(d, currency);
    let totals = q
        .totals
        .as_ref()
        .ok_or_else(|| CoreError::validation("quote", "This quote's totals cannot be computed."))?;

    let mut parts = Vec::new();
    let sections = [
        (
            LineKind::OneTime,
            "quote.one_time_heading",
            &totals.one_time,
            "totals.total_one_time",
        ),
        (
            LineKind::Monthly,
            "quote.monthly_heading",
            &totals.monthly,
            "totals.total_per_month",
        ),
        (
            LineKind::Annual,
            "quote.annual_heading",
            &totals.annual,
            "totals.total_per_year",
        ),
    ];
    let mut all_taxes = Vec::new();
    for (kind, heading, part, total_label) in sections {
        let lines: Vec<PrintedLine> = q
            .lines
            .iter()
            .filter(|p| p.line.line.kind == kind)
            .map(|p| printed_line(&p.line.line, p.net, currency, &w))
            .collect();
        if lines.is_empty() {
            continue;
        }
        let mut rows = vec![(t.get("totals.subtotal").to_string(), money(part.net))];
        rows.extend(tax_rows(&part.taxes, currency, &w));
        rows.push((t.get(total_label).to_string(), money(part.total)));
        all_taxes.extend(part.taxes.iter().cloned());
        parts.push(PrintedPart {
            heading: t.get(heading).into(),
            lines,
            totals: rows,
        });
    }

    let mut summary = Vec::new();
    for (part, key) in [
        (&totals.one_time, "quote.one_time_incl"),
        (&totals.monthly, "quote.per_month_incl"),
        (&totals.annual, "quote.per_year_incl"),
    ] {
        if !part.net.is_zero() {
            summary.push((t.get(key).to_string(), money(part.total)));
        }
    }
    summary.push((
        t.get("quote.first_year_net").to_string(),
        money(totals.first_year),
    ));

    let mut customer_block = party(&customer_value(&customer), &w, &s.country, false);
    if !customer.contact_name.is_empty() {
        customer_block
            .lines
            .insert(0, t.fill("party.attn", &[("name", &customer.contact_name)]));
    }
    let recurring = !totals.monthly.net.is_zero() || !totals.annual.net.is_zero();
    let term = if recurring {
        t.fill("quote.term", &[("months", q.form.term_months.trim())])
    } else {
        String::new()
    };

    let start = q.form.expected_start.clone() + "-01";
    let services_start = start
        .parse::<NaiveDate>()
        .map(|d| t.month_year(d))
        .unwrap_or(start);
    let meta = vec![
        (
            t.get("meta.number").to_string(),
            t.fill(
                "meta.version",
                &[("number", &q.number), ("version", &q.version.to_string())],
            ),
        ),
        (t.get("meta.date").to_string(), w.date(&q.form.quote_date)),
        (
            t.get("meta.valid_until").to_string(),
            w.date(&q.form.valid_until),
        ),
        (t.get("meta.services_start").to_string(), services_start),
    ];
    Ok(QuoteDocument {
        paper: match s.paper_size {
            PaperSize::A4 => Paper::A4,
            PaperSize::Letter => Paper::Letter,
        },
        number: q.number.clone(),
        version: q.version,
        title: t.get("document.quote").into(),
        meta,
        company: party(&company_snapshot(&s), &w, &s.country, true),
        logo: store.logo()?,
        customer: customer_block,
        subject: q.form.title.clone(),
        term,
        parts,
        summary,
        legal: legal_sentences(
            &all_taxes,
            &w,
            &customer.taxes.exemption_reason,
            company_law(&s),
        ),
        notes: q.form.notes.clone(),
        terms: q.form.terms.clone(),
        footer: footer(&company_snapshot(&s), &w),
        labels: w.labels("party.quote_for"),
    })
}

/// The quote's PDF bytes.
pub fn quote_pdf(store: &Store, q: &QuoteRecord) -> Result<Vec<u8>, CoreError> {
    Ok(render_quote(&quote_document(store, q)?))
}

/// The invoice as its customer sees it, in the customer's language. An issued invoice
/// prints the company and customer as they were on its issue date (and in the language it
/// was issued in: English for documents issued before languages), so it renders the same
/// later.
pub fn invoice_document(
    store: &Store,
    id: i64,
    today: NaiveDate,
) -> Result<InvoiceDocument, CoreError> {
    let inv = store.invoice(id, today)?;
    if inv.row.kind == vardesk_core::standing::DocumentKind::Imported {
        return Err(vardesk_core::open_invoices::not_printed(
            inv.row.number.as_deref().unwrap_or_default(),
        ));
    }
    let settings = store.require_settings()?;
    let company = inv
        .company_snapshot
        .clone()
        .unwrap_or_else(|| company_snapshot(&settings));
    let customer = match &inv.customer_snapshot {
        Some(snapshot) => snapshot.clone(),
        None => customer_value(&store.customer(inv.row.customer_id)?.data),
    };
    let company_locale = company
        .get("locale")
        .and_then(Value::as_str)
        .unwrap_or(&settings.locale)
        .to_string();
    let language = match field(&customer, "language").as_str() {
        "" => "en".to_string(),
        l => l.to_string(),
    };
    let w = Words::new(&language, &company_locale);
    let t = w.t;
    let home = field(&company, "country");
    let currency = inv.row.currency;
    let money = |d| w.money(d, currency);
    let lines = inv
        .lines
        .iter()
        .zip(&inv.nets)
        .map(|(line, net)| printed_line(line, *net, currency, &w))
        .collect();
    let mut totals = vec![(
        t.get("totals.subtotal").to_string(),
        money(inv.totals.subtotal),
    )];
    totals.extend(tax_rows(&inv.totals.taxes, currency, &w));
    totals.push((t.get("totals.total").to_string(), money(inv.totals.total)));
    let credit_note = inv.row.kind == vardesk_core::standing::DocumentKind::CreditNote;
    let mut summary = Vec::new();
    if credit_note {
        summary.push((
            t.get("summary.amount_credited").to_string(),
            money(inv.totals.total),
        ));
    } else if inv.row.number.is_some() {
        // The invoice as issued: what is due. Payments and credit notes are recorded beside
        // it (the app's invoice view, the credit note's own PDF), so a reprint reads the same
        // as the original.
        summary.push((
            t.get("summary.amount_due").to_string(),
            money(inv.totals.total),
        ));
    }
    let label = |key: &str| t.get(key).to_string();
    // When the service was given (§9): the billed month, else the issue date.
    let service = match (&inv.period, &inv.row.issue_date) {
        (Some(period), _) => format!("{period}-01")
            .parse::<NaiveDate>()
            .ok()
            .map(|d| (label("meta.service_period"), t.month_year(d))),
        (None, Some(issued)) => Some((label("meta.service_date"), w.date(issued))),
        _ => None,
    };
    let reference = match field(&customer, "buyer_reference").as_str() {
        "" => None,
        r => Some((label("meta.buyer_reference"), r.to_string())),
    };
    let (title, meta) = match (&inv.row.number, &inv.row.issue_date, &inv.row.due_date) {
        (Some(number), Some(issued), _) if credit_note => (
            label("document.credit_note"),
            vec![
                (label("meta.number"), number.clone()),
                (label("meta.date"), w.date(issued)),
                (
                    label("meta.credits_invoice"),
                    inv.row.credits.clone().unwrap_or_default(),
                ),
            ],
        ),
        (Some(number), Some(issued), Some(due)) => {
            let mut meta = vec![
                (label("meta.number"), number.clone()),
                (label("meta.date"), w.date(issued)),
                (label("meta.due"), w.date(due)),
            ];
            meta.extend(service);
            meta.extend(reference);
            if inv.row.status == vardesk_core::standing::InvoiceStatus::Void {
                let credited_by: Vec<&str> =
                    inv.credit_notes.iter().map(|c| c.number.as_str()).collect();
                meta.push((
                    label("meta.status"),
                    t.fill(
                        "meta.void_credited_by",
                        &[("numbers", &credited_by.join(", "))],
                    ),
                ));
            }
            (label("document.invoice"), meta)
        }
        _ => (
            label("document.draft_invoice"),
            vec![(label("meta.status"), label("meta.not_yet_issued"))],
        ),
    };
    let text = |key: &str| field(&company, key);
    let payment_instructions = match (&inv.row.number, &inv.row.due_date) {
        (Some(number), Some(due))
            if !credit_note && inv.row.status != vardesk_core::standing::InvoiceStatus::Void =>
        {
            let mut how = t.fill(
                "payment.pay_by",
                &[
                    ("amount", &money(inv.totals.total)),
                    ("date", &w.date(due)),
                    ("number", number),
                ],
            );
            if let Some(bank) = bank_sentence(&company, t) {
                how.push(' ');
                how.push_str(&bank);
            }
            how
        }
        _ => String::new(),
    };
    // The QR code asks for what the invoice asks for: its total, by its number.
    let payment_qr = match (&inv.row.number, payment_instructions.is_empty()) {
        (Some(number), false) => vardesk_core::girocode::payload(
            &text("name"),
            &text("iban"),
            &text("bic"),
            inv.totals.total,
            currency,
            number,
        )
        .map(|payload| (payload, t.get("payment.scan").to_string())),
        _ => None,
    };
    let small_business_law = company
        .get("small_business")
        .and_then(Value::as_bool)
        .unwrap_or(false)
        .then(|| vardesk_core::i18n::small_business_law(&home));
    Ok(InvoiceDocument {
        // An issued invoice keeps the paper it was issued on.
        paper: match (field(&company, "paper_size").as_str(), settings.paper_size) {
            ("Letter", _) | ("", PaperSize::Letter) => Paper::Letter,
            _ => Paper::A4,
        },
        title,
        meta,
        intro: String::new(),
        company: party(&company, &w, &home, true),
        logo: store.document_logo(id)?,
        customer: party(&customer, &w, &home, false),
        lines,
        columns: LineColumns::Items,
        totals,
        summary,
        payment_instructions,
        payment_qr,
        legal: legal_sentences(
            &inv.totals.taxes,
            &w,
            &inv.exemption_reason,
            small_business_law,
        ),
        // A credit note prints why it was issued after what it credits.
        notes: if inv.reason.trim().is_empty() {
            inv.notes.clone()
        } else {
            format!(
                "{} {}",
                inv.notes,
                t.fill("note.reason", &[("reason", inv.reason.trim())])
            )
        },
        footer: footer(&company, &w),
        labels: w.labels("party.bill_to"),
        id: inv
            .row
            .number
            .clone()
            .unwrap_or_else(|| format!("draft-{id}")),
    })
}

/// A payment reminder as its customer reads it, in the customer's language: the overdue
/// invoices with days and interest, the fee, what to pay by when, and how.
pub fn reminder_document(store: &Store, id: i64) -> Result<InvoiceDocument, CoreError> {
    let r = store.reminder(id)?;
    let p = &r.plan;
    let settings = store.require_settings()?;
    let company = company_snapshot(&settings);
    let data = store.customer(r.customer_id)?.data;
    let customer = customer_value(&data);
    let language = vardesk_core::language::of_customer(&data.taxes.language, &data.country);
    let w = Words::new(language, &settings.locale);
    let t = w.t;
    let money = |d| w.money(d, p.currency);
    let label = |key: &str| t.get(key).to_string();
    let title = label(&format!("document.reminder.{}", p.level));
    let day = |d: NaiveDate| t.date(d, &w.locale);
    let greeting = if data.contact_name.trim().is_empty() {
        label("mail.greeting_plain")
    } else {
        t.fill("mail.greeting", &[("name", data.contact_name.trim())])
    };
    let intro = format!(
        "{greeting}\n\n{}",
        t.fill(
            &format!("reminder.intro.{}", p.level),
            &[("amount", &money(p.total)), ("date", &day(p.pay_by))]
        )
    );
    let lines = p
        .lines
        .iter()
        .map(|l| PrintedLine {
            description: l.number.clone(),
            quantity: day(l.issue_date),
            unit: day(l.due_date),
            unit_price: l.days_overdue.to_string(),
            discount: if l.interest.is_zero() {
                String::new()
            } else {
                money(l.interest)
            },
            amount: money(l.open),
        })
        .collect();
    let mut totals = vec![(label("reminder.total_open"), money(p.open))];
    if !p.interest.is_zero() {
        let rate = vardesk_core::format::format_decimal(p.interest_percent, &w.locale);
        totals.push((
            t.fill("reminder.total_interest", &[("rate", &rate)]),
            money(p.interest),
        ));
    }
    if !p.fee.is_zero() {
        totals.push((label("reminder.fee"), money(p.fee)));
    }
    totals.push((label("totals.total"), money(p.total)));
    let text = |key: &str| field(&company, key);
    let numbers: Vec<&str> = p.lines.iter().map(|l| l.number.as_str()).collect();
    let payment_instructions = join_present(
        [
            bank_sentence(&company, t).unwrap_or_default(),
            t.get("reminder.paid_meanwhile").to_string(),
        ],
        " ",
    );
    let payment_qr = vardesk_core::girocode::payload(
        &text("name"),
        &text("iban"),
        &text("bic"),
        p.total,
        p.currency,
        &numbers.join(" "),
    )
    .map(|payload| (payload, label("payment.scan")));
    let mut labels = w.labels("party.addressee");
    labels.columns = [
        "reminder.invoice",
        "reminder.issued",
        "reminder.due",
        "reminder.days",
        "reminder.interest",
        "reminder.open",
    ]
    .map(|k| t.get(k).to_string());
    let home = field(&company, "country");
    Ok(InvoiceDocument {
        paper: match settings.paper_size {
            PaperSize::Letter => Paper::Letter,
            PaperSize::A4 => Paper::A4,
        },
        title,
        meta: vec![
            (label("meta.date"), day(p.date)),
            (label("meta.due"), day(p.pay_by)),
        ],
        intro,
        company: party(&company, &w, &home, true),
        logo: store.logo()?,
        customer: party(&customer, &w, &home, false),
        lines,
        columns: LineColumns::OverdueInvoices,
        totals,
        summary: vec![(label("reminder.amount_due"), money(p.total))],
        payment_instructions,
        payment_qr,
        legal: Vec::new(),
        notes: String::new(),
        footer: footer(&company, &w),
        labels,
        id: format!("reminder-{id}"),
    })
}

/// The reminder's PDF bytes.
pub fn reminder_pdf(store: &Store, id: i64) -> Result<Vec<u8>, CoreError> {
    Ok(render_invoice(&reminder_document(store, id)?))
}

/// The invoice's PDF bytes.
pub fn invoice_pdf(store: &Store, id: i64, today: NaiveDate) -> Result<Vec<u8>, CoreError> {
    let document = store.read(|store| invoice_document(store, id, today))?;
    Ok(render_invoice(&document))
}

/// The issued invoice or credit note as a Factur-X 1.07 / ZUGFeRD 2.3 (EN 16931 profile)
/// PDF/A-3b: the printed document with its CII e-invoice embedded as `factur-x.xml`.
pub fn invoice_facturx(store: &Store, id: i64, today: NaiveDate) -> Result<Vec<u8>, CoreError> {
    let (e, document) = store.read(|store| {
        Ok((
            store.einvoice(id, today)?,
            invoice_document(store, id, today)?,
        ))
    })?;
    let xml = vardesk_core::einvoice::Format::FacturX.write(&e)?;
    Ok(vardesk_pdf::invoice::render_facturx(
        &document,
        &vardesk_pdf::pdfa::FacturX {
            xml: xml.as_bytes(),
            conformance: "EN 16931",
            date: e.issue_date,
        },
    ))
}
