//! Documents sent by e-mail: a draft message in the customer's language, addressed to the
//! customer, carrying the document. An issued invoice or credit note goes as its Factur-X
//! PDF (printable, with the EN 16931 XML inside) plus the XML the customer's e-invoicing
//! reads where it needs one (`Format::for_recipient`); a quote or a reminder as its PDF.

use chrono::{DateTime, FixedOffset, NaiveDate};
use vardesk_core::customer::CustomerData;
use vardesk_core::email::{to_eml, Attachment, Draft};
use vardesk_core::i18n::{texts, Texts};
use vardesk_core::CoreError;
use vardesk_store::Store;

use crate::export::pdf_file_name;
use crate::views::{invoice_facturx, quote_pdf, Words};

/// A message ready to be written as `file_name` (`.eml`) and opened by the mail app.
#[derive(Debug, Clone, PartialEq)]
pub struct Mail {
    pub file_name: String,
    pub to: String,
    pub eml: Vec<u8>,
}

/// The customer a message goes to, at its e-mail address now (a snapshot may be old), and
/// the words it is written in.
struct Letter {
    customer: CustomerData,
    company: String,
    company_email: String,
    words: Words,
    t: &'static Texts,
}

impl Letter {
    /// `language`: the document's (an issued invoice keeps the one it was issued in);
    /// `None`: the customer's.
    fn to(store: &Store, customer_id: i64, language: Option<&str>) -> Result<Letter, CoreError> {
        let customer = store.customer(customer_id)?.data;
        if customer.email.trim().is_empty() {
            return Err(CoreError::validation(
                "email",
                format!(
                    "{} has no e-mail address: add one to the customer, then send again.",
                    customer.name
                ),
            ));
        }
        let settings = store.require_settings()?;
        let language = language.unwrap_or_else(|| {
            vardesk_core::language::of_customer(&customer.taxes.language, &customer.country)
        });
        Ok(Letter {
            words: Words::new(language, &settings.locale),
            t: texts(language),
            company: settings.company_name.trim().to_string(),
            company_email: settings.email.trim().to_string(),
            customer,
        })
    }

    /// The message: greeting, `text` (and `extra`), closing, the files; `stem` names the
    /// `.eml`, `kind` and `id` make its Message-ID.
    fn compose(
        &self,
        subject: String,
        text: String,
        extra: Option<String>,
        attachments: Vec<Attachment>,
        stem: &str,
        (kind, id, now): (&str, i64, DateTime<FixedOffset>),
    ) -> Mail {
        let t = self.t;
        let contact = self.customer.contact_name.trim();
        let greeting = if contact.is_empty() {
            t.get("mail.greeting_plain").to_string()
        } else {
            t.fill("mail.greeting", &[("name", contact)])
        };
        let mut parts = vec![greeting, text];
        parts.extend(extra);
        parts.push(format!("{}\n{}", t.get("mail.closing"), self.company));
        let to = self.customer.email.trim().to_string();
        let draft = Draft {
            from_name: self.company.clone(),
            from_address: self.company_email.clone(),
            to_name: if contact.is_empty() {
                self.customer.name.clone()
            } else {
                contact.to_string()
            },
            to_address: to.clone(),
            subject,
            body: parts.join("\n\n"),
            attachments,
            date: now,
            message_id: format!("{kind}-{id}-{}@vardesk", now.format("%Y%m%d%H%M%S")),
        };
        Mail {
            file_name: format!("{}.eml", pdf_file_name(stem).trim_end_matches(".pdf")),
            to,
            eml: to_eml(&draft),
        }
    }

    fn subject(&self, key: &str, number: &str) -> String {
        self.t
            .fill(key, &[("number", number), ("company", &self.company)])
    }
}

fn pdf(file_name: String, bytes: Vec<u8>) -> Attachment {
    Attachment {
        file_name,
        media_type: "application/pdf",
        bytes,
    }
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
    let language = inv
        .customer_snapshot
        .as_ref()
        .and_then(|s| s.get("language"))
        .and_then(|l| l.as_str())
        .filter(|l| !l.is_empty())
        .unwrap_or("en")
        .to_string();
    let letter = Letter::to(store, inv.row.customer_id, Some(&language))?;
    let (w, t) = (&letter.words, letter.t);
    let amount = w.money(inv.row.total, inv.row.currency);
    let date = w.date(&issued);
    let (subject, text) = if inv.row.kind == vardesk_core::standing::DocumentKind::CreditNote {
        let credits = inv.row.credits.as_deref().unwrap_or("");
        (
            letter.subject("mail.credit_note.subject", &number),
            t.fill(
                "mail.credit_note.body",
                &[
                    ("number", &number),
                    ("date", &date),
                    ("amount", &amount),
                    ("invoice", credits),
                ],
            ),
        )
    } else {
        let due = w.date(inv.row.due_date.as_deref().unwrap_or(""));
        (
            letter.subject("mail.invoice.subject", &number),
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
    let stem = pdf_file_name(&number).trim_end_matches(".pdf").to_string();
    let mut attachments = vec![pdf(
        format!("{stem}.pdf"),
        invoice_facturx(store, id, today)?,
    )];
    let c = &letter.customer;
    let mut extra = None;
    let format = vardesk_core::einvoice::Format::for_recipient(
        &c.country,
        &c.taxes.buyer_reference,
        &c.taxes.peppol_id,
    );
    if let Some(format) = format {
        attachments.push(Attachment {
            file_name: format!("{stem}.xml"),
            media_type: "application/xml",
            bytes: store.einvoice_xml(id, format, today)?.into_bytes(),
        });
        extra = Some(t.fill("mail.einvoice", &[("format", format.name())]));
    }
    Ok(letter.compose(
        subject,
        text,
        extra,
        attachments,
        &stem,
        ("invoice", id, now),
    ))
}

/// The quote `id` as a draft message with its PDF.
pub fn quote_mail(
    store: &Store,
    id: i64,
    today: NaiveDate,
    now: DateTime<FixedOffset>,
) -> Result<Mail, CoreError> {
    let q = store.quote(id, today)?;
    let letter = Letter::to(store, q.customer_id, None)?;
    let number = if q.version > 1 {
        format!("{} v{}", q.number, q.version)
    } else {
        q.number.clone()
    };
    let valid = letter.words.date(&q.form.valid_until);
    let text = letter
        .t
        .fill("mail.quote.body", &[("number", &number), ("date", &valid)]);
    let file = pdf_file_name(&number);
    let attachments = vec![pdf(file.clone(), quote_pdf(store, &q)?)];
    let subject = letter.subject("mail.quote.subject", &number);
    Ok(letter.compose(subject, text, None, attachments, &file, ("quote", id, now)))
}

/// The reminder `id` as a draft message with its letter attached.
pub fn reminder_mail(
    store: &Store,
    id: i64,
    now: DateTime<FixedOffset>,
) -> Result<Mail, CoreError> {
    let r = store.reminder(id)?;
    let letter = Letter::to(store, r.customer_id, None)?;
    let t = letter.t;
    let title = t
        .get(&format!("document.reminder.{}", r.plan.level))
        .to_string();
    let numbers: Vec<&str> = r.plan.lines.iter().map(|l| l.number.as_str()).collect();
    let text = t.fill(
        "mail.reminder.body",
        &[
            ("numbers", &numbers.join(", ")),
            ("amount", &letter.words.money(r.plan.total, r.plan.currency)),
        ],
    );
    let stem = format!("{title} {}", r.plan.date);
    let subject = t.fill(
        "mail.reminder.subject",
        &[("title", &title), ("company", &letter.company)],
    );
    let attachments = vec![pdf(
        format!("{stem}.pdf"),
        crate::views::reminder_pdf(store, id)?,
    )];
    Ok(letter.compose(
        subject,
        text,
        None,
        attachments,
        &stem,
        ("reminder", id, now),
    ))
}
