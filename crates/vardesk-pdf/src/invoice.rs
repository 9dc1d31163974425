//! The invoice a customer receives: the issued snapshot of both parties, its lines, one tax
//! row per rate, the total, what was paid and the balance, and how to pay.

use crate::blocks::{self, Head, Labels, LineColumns, Party, PrintedLine};
use crate::layout::{Layout, Paper};

#[derive(Debug, Clone, PartialEq)]
pub struct InvoiceDocument {
    pub paper: Paper,
    /// "Invoice", or "Draft invoice" before it is issued.
    pub title: String,
    pub meta: Vec<(String, String)>,
    /// A letter's opening paragraph, above the table (a reminder's; empty on invoices).
    pub intro: String,
    pub company: Party,
    pub logo: Option<Vec<u8>>,
    pub customer: Party,
    pub lines: Vec<PrintedLine>,
    pub columns: LineColumns,
    /// Subtotal, one row per tax rate, total, then paid and balance when any was paid.
    pub totals: Vec<(String, String)>,
    pub summary: Vec<(String, String)>,
    pub payment_instructions: String,
    /// The SEPA payment QR code's text and caption (euro invoices with an IBAN).
    pub payment_qr: Option<(String, String)>,
    /// The VAT sentences the document's categories require (reverse charge, export, …).
    pub legal: Vec<String>,
    pub notes: String,
    pub footer: String,
    pub labels: Labels,
    /// The file id: the number, so the same invoice gives the same bytes.
    pub id: String,
}

pub fn render_invoice(d: &InvoiceDocument) -> Vec<u8> {
    layout(d).finish(&d.title, &d.footer, &d.labels.page_of, &d.id)
}

/// The invoice as a Factur-X / ZUGFeRD PDF/A-3b with its e-invoice XML inside.
pub fn render_facturx(d: &InvoiceDocument, facturx: &crate::pdfa::FacturX<'_>) -> Vec<u8> {
    layout(d).finish_facturx(&d.title, &d.footer, &d.labels.page_of, &d.id, facturx)
}

fn layout(d: &InvoiceDocument) -> Layout {
    let mut l = Layout::new(d.paper);
    blocks::head(
        &mut l,
        &Head {
            title: &d.title,
            meta: &d.meta,
            logo: d.logo.as_deref(),
            company: &d.company,
            recipient_label: &d.labels.recipient,
            recipient: &d.customer,
        },
    );
    if !d.intro.is_empty() {
        l.y += 2.0;
        l.paragraph(
            &d.intro,
            9.0,
            crate::layout::Style::Regular,
            crate::layout::BLACK,
        );
        l.y += 2.0;
    }
    blocks::line_table(&mut l, d.columns, &d.labels.columns, &d.lines);
    blocks::totals_rows(&mut l, &d.totals);
    blocks::summary_box(&mut l, &d.summary);
    blocks::text_section(&mut l, &d.labels.tax, &d.legal.join("\n"));
    blocks::text_section(&mut l, &d.labels.notes, &d.notes);
    blocks::text_section(&mut l, &d.labels.payment, &d.payment_instructions);
    if let Some((payload, caption)) = &d.payment_qr {
        blocks::payment_qr(&mut l, payload, caption);
    }
    l
}
