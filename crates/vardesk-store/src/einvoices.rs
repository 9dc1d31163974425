//! An issued document as an EN 16931 e-invoice (§9): the figures, categories and parties it
//! was issued with, written by the engine in the chosen format.

use chrono::NaiveDate;
use serde_json::Value;
use vardesk_core::billing::Period;
use vardesk_core::einvoice::{
    electronic_address, Contact, Delivery, DocumentKind, EInvoice, ELine, EParty, Format,
};
use vardesk_core::treatment::TaxKey;
use vardesk_core::CoreError;

use crate::{Result, Store};

fn text(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or("")
        .trim()
        .to_string()
}

/// A party's name, address and electronic address (its `address_key`, else its e-mail) from
/// an issued snapshot.
fn party(snapshot: &Value, address_key: &str) -> EParty {
    EParty {
        name: text(snapshot, "name"),
        street: text(snapshot, "address_line1"),
        street2: text(snapshot, "address_line2"),
        postal_code: text(snapshot, "postal_code"),
        city: text(snapshot, "city"),
        country: text(snapshot, "country"),
        electronic_address: electronic_address(&text(snapshot, address_key))
            .or_else(|| electronic_address(&text(snapshot, "email"))),
        ..EParty::default()
    }
}

fn date(text: &Option<String>) -> Option<NaiveDate> {
    text.as_deref().and_then(|t| t.parse().ok())
}

impl Store {
    /// The issued invoice or credit note `id` as an e-invoice XML file in `format`; a draft,
    /// or a document that lacks a field the format requires, is refused naming it.
    pub fn einvoice_xml(&self, id: i64, format: Format, today: NaiveDate) -> Result<String> {
        format.write(&self.einvoice(id, today)?)
    }

    /// The e-invoice model of an issued document.
    pub fn einvoice(&self, id: i64, today: NaiveDate) -> Result<EInvoice> {
        let inv = self.invoice(id, today)?;
        if inv.row.kind == vardesk_core::standing::DocumentKind::Imported {
            return Err(vardesk_core::open_invoices::not_printed(
                inv.row.number.as_deref().unwrap_or_default(),
            ));
        }
        let (Some(number), Some(issue_date), Some(company), Some(customer)) = (
            inv.row.number.clone(),
            date(&inv.row.issue_date),
            inv.company_snapshot.clone(),
            inv.customer_snapshot.clone(),
        ) else {
            return Err(CoreError::validation(
                "invoice",
                "Only an issued invoice or credit note has an e-invoice: issue it first.",
            ));
        };
        let credit_note = inv.row.kind == vardesk_core::standing::DocumentKind::CreditNote;
        let preceding = match (credit_note, &inv.row.credits) {
            (true, Some(credited)) => {
                let issued: Option<String> = self
                    .conn()
                    .query_row(
                        "SELECT issue_date FROM invoices WHERE number = ?1 AND kind = 'invoice'",
                        [credited],
                        |r| r.get(0),
                    )
                    .ok();
                Some((credited.clone(), date(&issued)))
            }
            _ => None,
        };
        // A company's `tax_id` is its VAT ID; a customer's VAT ID has its own field.
        let seller = EParty {
            vat_id: text(&company, "tax_id"),
            tax_number: text(&company, "tax_number"),
            legal_registration: text(&company, "legal_registration"),
            ..party(&company, "electronic_address")
        };
        let buyer = EParty {
            vat_id: text(&customer, "vat_id"),
            ..party(&customer, "peppol_id")
        };
        let contact = Contact {
            name: text(&company, "contact_name"),
            phone: text(&company, "phone"),
            email: text(&company, "email"),
        };
        // BT-10: the customer's reference, else its number in these books.
        let buyer_reference = match text(&customer, "buyer_reference").as_str() {
            "" => format!("C-{}", inv.row.customer_id),
            r => r.to_string(),
        };
        let delivery = match inv.period.as_deref().map(Period::parse) {
            Some(Ok(p)) => Delivery::Period(p.first_day(), p.last_day()),
            _ => Delivery::Date(issue_date),
        };
        let lines = inv
            .lines
            .iter()
            .zip(&inv.nets)
            .map(|(l, net)| {
                let key = TaxKey::of(l);
                ELine {
                    description: l.description.clone(),
                    quantity: l.quantity,
                    unit: l.unit.clone(),
                    unit_price: l.unit_price,
                    discount_percent: l.discount_percent.unwrap_or_default(),
                    net: *net,
                    category: key.category,
                    rate: key.rate,
                }
            })
            .collect();
        Ok(EInvoice {
            kind: if credit_note {
                DocumentKind::CreditNote
            } else {
                DocumentKind::Invoice
            },
            number,
            issue_date,
            due_date: date(&inv.row.due_date),
            currency: inv.row.currency,
            buyer_reference,
            note: match inv.reason.trim() {
                "" => inv.notes.clone(),
                reason => format!("{} {reason}", inv.notes).trim().to_string(),
            },
            preceding,
            seller,
            seller_contact: contact,
            buyer,
            iban: text(&company, "iban"),
            bic: text(&company, "bic"),
            delivery,
            lines,
            subtotal: inv.totals.subtotal,
            tax_total: inv.totals.tax_total,
            total: inv.totals.total,
            taxes: inv.totals.taxes,
            exemption_reason: match inv.exemption_reason.trim() {
                "" => vardesk_core::i18n::small_business_law(&text(&company, "country")).into(),
                r => r.to_string(),
            },
        })
    }
}
