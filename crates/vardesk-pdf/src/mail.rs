//! Documents sent by e-mail: a draft message in the customer's language, addressed to the
//! customer, carrying the document. An issued invoice or credit note goes as its Factur-X
//! PDF (printable, with the EN 16931 XML inside) plus the XML the customer's e-invoicing
//! reads where it needs one (`Format::for_recipient`); a quote as its PDF.

use chrono::{DateTime, FixedOffset, NaiveDate};
use vardesk_core::email::{to_eml, Attachment, Draft};
use vardesk_core::i18n::texts;
use vardesk_core::{CoreError, Currency};
use vardesk_store::Store;

use crate::documents::{invoice_facturx, quote_pdf, Words};
use crate::export::pdf_file_name;

/// A message ready to be written as `file_name` (`.eml`) and opened by the mail app.
#[derive(Debug, Clone, PartialEq)]
pub struct Mail {
    pub file_name: String,
    pub to: String,
    pub eml: Vec<u8>,
}

/// Who the message goes to: the customer's e-mail address now (a snapshot may be old).
fn recipient(
    store: &Store,
    customer_id: i64,
) -> Result<(String, String, vardesk_core::customer::CustomerData), CoreError> {
    let c = store.customer(customer_id)?.data;
    if c.email.trim().is_empty() {
        return Err(CoreError::validation(
            "email",
            format!(
                "{} has no e-mail address: add one to the customer, then send again.",
                c.name
            ),
        ));
    }
    Ok((
        c.email.trim().to_string(),
        c.contact_name.trim().to_string(),
        c,
    ))
}

fn body(
    t: &'static vardesk_core::i18n::Texts,
    contact: &str,
    text: String,
    extra: Option<String>,
    company: &str,
) -> String {
    let greeting = if contact.is_empty() {
        t.get("mail.greeting_plain").to_string()
    } else {
        t.fill("mail.greeting", &[("name", contact)])
    };
    let mut parts = vec![greeting, text];
    parts.extend(extra);
    parts.push(format!("{}\n{company}", t.get("mail.closing")));
    parts.join("\n\n")
}

/// The issued invoice or credit note `id` as a draft message.
pub fn invoice_mail(
    store: &Store,
    id: i64,
    today: NaiveDate,
    now: DateTime<FixedOffset>,
) -> Result<Mail, CoreError> {
    let inv = store.invoice(id, today)?;
    let (Some(number), Some(issued)) = (inv.row.number.clone(), inv.row.issue_date.clone()) else {
        return Err(CoreError::validation(
            "status",
            "Issue the invoice before sending it: a draft has no number yet.",
        ));
    };
    let settings = store.require_settings()?;
    let (to, contact, customer) = recipient(store, inv.row.customer_id)?;
    let language = inv
        .customer_snapshot
        .as_ref()
        .and_then(|s| s.get("language"))
        .and_then(|l| l.as_str())
        .filter(|l| !l.is_empty())
        .unwrap_or("en")
        .to_string();
    let w = Words::new(&language, &settings.locale);
    let t = texts(&language);
    let currency: Currency = inv.row.currency;
    let company = settings.company_name.trim().to_string();
    let credit_note = inv.row.kind == "credit_note";
    let amount = w.money(inv.row.total, currency);
    let date = w.date(&issued);
    let (subject, text) = if credit_note {
        (
            t.fill(
                "mail.credit_note.subject",
                &[("number", &number), ("company", &company)],
            ),
            t.fill(
                "mail.credit_note.body",
                &[
                    ("number", &number),
                    ("date", &date),
                    ("amount", &amount),
                    ("invoice", inv.row.credits.as_deref().unwrap_or("")),
                ],
            ),
        )
    } else {
        let due = w.date(inv.row.due_date.as_deref().unwrap_or(""));
        (
            t.fill(
                "mail.invoice.subject",
                &[("number", &number), ("company", &company)],
            ),
            t.fill(
                "mail.invoice.body",
                &[
                    ("number", &number),
                    ("date", &date),
                    ("amount", &amount),
                    ("due", &due),
                ],
            ),
        )
    };
    let pdf_name = pdf_file_name(&number);
    let mut attachments = vec![Attachment {
        file_name: pdf_name.clone(),
        media_type: "application/pdf",
        bytes: invoice_facturx(store, id, today)?,
    }];
    let format = vardesk_core::einvoice::Format::for_recipient(
        &customer.country,
        &customer.taxes.buyer_reference,
        &customer.taxes.peppol_id,
    );
    let mut extra = None;
    if let Some(format) = format {
        attachments.push(Attachment {
            file_name: format!("{}.xml", pdf_name.trim_end_matches(".pdf")),
            media_type: "application/xml",
            bytes: store.einvoice_xml(id, format, today)?.into_bytes(),
        });
        extra = Some(t.fill("mail.einvoice", &[("format", format.name())]));
    }
    let draft = Draft {
        from_name: company.clone(),
        from_address: settings.email.trim().to_string(),
        to_name: if contact.is_empty() {
            customer.name.clone()
        } else {
            contact.clone()
        },
        to_address: to.clone(),
        subject,
        body: body(t, &contact, text, extra, &company),
        attachments,
        date: now,
        message_id: format!("invoice-{id}-{}@vardesk", now.format("%Y%m%d%H%M%S")),
    };
    Ok(Mail {
        file_name: format!("{}.eml", pdf_name.trim_end_matches(".pdf")),
        to,
        eml: to_eml(&draft),
    })
}

/// The quote `id` as a draft message with its PDF.
pub fn quote_mail(
    store: &Store,
    id: i64,
    today: NaiveDate,
    now: DateTime<FixedOffset>,
) -> Result<Mail, CoreError> {
    let q = store.quote(id, today)?;
    let settings = store.require_settings()?;
    let (to, contact, customer) = recipient(store, q.customer_id)?;
    let language = vardesk_core::language::of_customer(&customer.taxes.language, &customer.country);
    let w = Words::new(language, &settings.locale);
    let t = texts(language);
    let company = settings.company_name.trim().to_string();
    let number = if q.version > 1 {
        format!("{} v{}", q.number, q.version)
    } else {
        q.number.clone()
    };
    let valid = w.date(&q.form.valid_until);
    let pdf_name = pdf_file_name(&number);
    let draft = Draft {
        from_name: company.clone(),
        from_address: settings.email.trim().to_string(),
        to_name: if contact.is_empty() {
            customer.name.clone()
        } else {
            contact.clone()
        },
        to_address: to.clone(),
        subject: t.fill(
            "mail.quote.subject",
            &[("number", &number), ("company", &company)],
        ),
        body: body(
            t,
            &contact,
            t.fill("mail.quote.body", &[("number", &number), ("date", &valid)]),
            None,
            &company,
        ),
        attachments: vec![Attachment {
            file_name: pdf_name.clone(),
            media_type: "application/pdf",
            bytes: quote_pdf(store, &q)?,
        }],
        date: now,
        message_id: format!("quote-{id}-{}@vardesk", now.format("%Y%m%d%H%M%S")),
    };
    Ok(Mail {
        file_name: format!("{}.eml", pdf_name.trim_end_matches(".pdf")),
        to,
        eml: to_eml(&draft),
    })
}

/// The reminder `id` as a draft message with its letter attached.
pub fn reminder_mail(
    store: &Store,
    id: i64,
    now: DateTime<FixedOffset>,
) -> Result<Mail, CoreError> {
    let r = store.reminder(id)?;
    let settings = store.require_settings()?;
    let (to, contact, customer) = recipient(store, r.customer_id)?;
    let language = vardesk_core::language::of_customer(&customer.taxes.language, &customer.country);
    let w = Words::new(language, &settings.locale);
    let t = texts(language);
    let company = settings.company_name.trim().to_string();
    let title = t
        .get(&format!("document.reminder.{}", r.plan.level))
        .to_string();
    let numbers: Vec<&str> = r.plan.lines.iter().map(|l| l.number.as_str()).collect();
    let text = t.fill(
        "mail.reminder.body",
        &[
            ("numbers", &numbers.join(", ")),
            ("amount", &w.money(r.plan.total, r.plan.currency)),
        ],
    );
    let stem = format!("{title} {}", r.plan.date);
    let draft = Draft {
        from_name: company.clone(),
        from_address: settings.email.trim().to_string(),
        to_name: if contact.is_empty() {
            customer.name.clone()
        } else {
            contact.clone()
        },
        to_address: to.clone(),
        subject: t.fill(
            "mail.reminder.subject",
            &[("title", &title), ("company", &company)],
        ),
        body: body(t, &contact, text, None, &company),
        attachments: vec![Attachment {
            file_name: format!("{stem}.pdf"),
            media_type: "application/pdf",
            bytes: crate::documents::reminder_pdf(store, id)?,
        }],
        date: now,
        message_id: format!("reminder-{id}-{}@vardesk", now.format("%Y%m%d%H%M%S")),
    };
    Ok(Mail {
        file_name: format!("{}.eml", pdf_file_name(&stem).trim_end_matches(".pdf")),
        to,
        eml: to_eml(&draft),
    })
}
