//! EN 16931 e-invoices (DOMAIN.md §9): one document model written as UN/CEFACT CII D16B
//! (Factur-X 1.07 / ZUGFeRD 2.3 EN 16931 profile, XRechnung 3.0 CII) or OASIS UBL 2.1
//! (XRechnung 3.0 UBL, Peppol BIS Billing 3.0). Element order follows the schemas; the
//! business rules are the CEN validation artefacts 1.3.x in `../shared/einvoice`.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::error::CoreError;
use crate::lines::TaxRow;
use crate::money::Currency;
use crate::treatment::TaxCategory;

/// The four formats VarDesk writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    FacturX,
    XRechnungCii,
    XRechnungUbl,
    Peppol,
}

impl Format {
    pub fn parse(text: &str) -> Option<Format> {
        Some(match text.trim().to_ascii_lowercase().as_str() {
            "facturx" | "factur-x" | "zugferd" => Format::FacturX,
            "xrechnung-cii" => Format::XRechnungCii,
            "xrechnung-ubl" | "xrechnung" => Format::XRechnungUbl,
            "peppol" | "peppol-bis" => Format::Peppol,
            _ => return None,
        })
    }

    /// The XML a customer's e-invoicing takes, sent beside the (Factur-X) PDF: Peppol for a
    /// customer with a Peppol id, XRechnung for a German one or one with a buyer reference
    /// (a Leitweg-ID); others read the XML inside the Factur-X PDF.
    pub fn for_recipient(country: &str, buyer_reference: &str, peppol_id: &str) -> Option<Format> {
        if !peppol_id.trim().is_empty() {
            Some(Format::Peppol)
        } else if country.eq_ignore_ascii_case("DE") || !buyer_reference.trim().is_empty() {
            Some(Format::XRechnungCii)
        } else {
            None
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::FacturX => "Factur-X",
            Format::XRechnungCii => "XRechnung (CII)",
            Format::XRechnungUbl => "XRechnung (UBL)",
            Format::Peppol => "Peppol BIS Billing 3.0",
        }
    }

    /// BT-24, the specification identifier.
    fn specification(self) -> &'static str {
        match self {
            Format::FacturX => "urn:cen.eu:en16931:2017",
            Format::XRechnungCii | Format::XRechnungUbl => {
                "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"
            }
            Format::Peppol => {
                "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
            }
        }
    }

    fn xrechnung(self) -> bool {
        matches!(self, Format::XRechnungCii | Format::XRechnungUbl)
    }

    /// Writes the document in this format's syntax, or says which field it lacks.
    pub fn write(self, e: &EInvoice) -> Result<String, CoreError> {
        self.check(e)?;
        Ok(match self {
            Format::FacturX | Format::XRechnungCii => cii(e, self),
            Format::XRechnungUbl | Format::Peppol => ubl(e, self),
        })
    }

    /// The fields this format requires beyond EN 16931 (§9), as a sentence naming them.
    fn check(self, e: &EInvoice) -> Result<(), CoreError> {
        let missing = |field: &str, what: &str| {
            Err(CoreError::validation(
                field,
                format!("{} needs {what}.", self.name()),
            ))
        };
        if self.xrechnung() {
            let c = &e.seller_contact;
            if c.name.trim().is_empty() || c.phone.trim().is_empty() || c.email.trim().is_empty() {
                return missing(
                    "contact_name",
                    "your contact person's name, phone and e-mail (Settings)",
                );
            }
            if e.buyer.postal_code.trim().is_empty() || e.buyer.city.trim().is_empty() {
                return missing("postal_code", "the customer's post code and city");
            }
            if e.seller.electronic_address.is_none() {
                return missing("electronic_address", "your electronic address (Settings)");
            }
        }
        if self.xrechnung() || self == Format::Peppol {
            if e.buyer.electronic_address.is_none() {
                return missing(
                    "peppol_id",
                    "the customer's Peppol id or billing e-mail (its electronic address)",
                );
            }
            if e.seller.electronic_address.is_none() {
                return missing("electronic_address", "your electronic address (Settings)");
            }
        }
        Ok(())
    }
}

/// Invoice (380) or credit note (381).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    Invoice,
    CreditNote,
}

/// A seller or buyer as e-invoices carry them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EParty {
    pub name: String,
    pub street: String,
    pub street2: String,
    pub postal_code: String,
    pub city: String,
    pub country: String,
    pub vat_id: String,
    /// A national tax number (BT-32, the seller's only).
    pub tax_number: String,
    /// BT-30: the legal registration (e.g. `HRB 12345, Amtsgericht Köln`).
    pub legal_registration: String,
    /// BT-34 / BT-49: (scheme, id), e.g. `("9930", "DE123456788")` or `("EM", mail)`.
    pub electronic_address: Option<(String, String)>,
}

/// The seller's contact point (BG-6).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Contact {
    pub name: String,
    pub phone: String,
    pub email: String,
}

/// One line as e-invoiced: its net amount is the printed one.
#[derive(Debug, Clone, PartialEq)]
pub struct ELine {
    pub description: String,
    pub quantity: Decimal,
    pub unit: String,
    pub unit_price: Decimal,
    pub discount_percent: Decimal,
    pub net: Decimal,
    pub category: TaxCategory,
    pub rate: Decimal,
}

/// When the service was given: a date (BT-72) or a period (BG-14).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Delivery {
    Date(NaiveDate),
    Period(NaiveDate, NaiveDate),
}

/// An issued invoice or credit note with the figures it was issued with.
#[derive(Debug, Clone, PartialEq)]
pub struct EInvoice {
    pub kind: DocumentKind,
    pub number: String,
    pub issue_date: NaiveDate,
    pub due_date: Option<NaiveDate>,
    pub currency: Currency,
    /// BT-10; XRechnung requires it (a Leitweg-ID for German public bodies).
    pub buyer_reference: String,
    pub note: String,
    /// BT-25/26: the invoice a credit note corrects.
    pub preceding: Option<(String, Option<NaiveDate>)>,
    pub seller: EParty,
    pub seller_contact: Contact,
    pub buyer: EParty,
    pub iban: String,
    pub bic: String,
    pub delivery: Delivery,
    pub lines: Vec<ELine>,
    pub taxes: Vec<TaxRow>,
    pub subtotal: Decimal,
    pub tax_total: Decimal,
    pub total: Decimal,
    /// Exempt documents: why (BT-120).
    pub exemption_reason: String,
}

/// The UN/ECE Recommendation 20 code of a unit as typed: hours `HUR`, days `DAY`, months
/// `MON`, years `ANN`, everything counted (seats, users, licences, devices) `C62`.
pub fn unit_code(unit: &str) -> &'static str {
    let first = unit
        .split(['/', ' '])
        .next()
        .unwrap_or("")
        .trim()
        .to_lowercase();
    match first.as_str() {
        "h" | "hr" | "hrs" | "hour" | "hours" | "std" | "std." | "stunde" | "stunden" => "HUR",
        "day" | "days" | "tag" | "tage" => "DAY",
        "month" | "months" | "monat" | "monate" => "MON",
        "year" | "years" | "jahr" | "jahre" => "ANN",
        _ => "C62",
    }
}

/// An electronic address as typed (a Peppol `scheme:id` or an e-mail) for BT-34/BT-49.
pub fn electronic_address(text: &str) -> Option<(String, String)> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    match text.split_once(':') {
        Some((scheme, id)) if !text.contains('@') => Some((scheme.into(), id.into())),
        _ => Some(("EM".into(), text.into())),
    }
}

fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 allows no other control characters.
            c if c.is_control() && !matches!(c, '\n' | '\t') => {}
            c => out.push(c),
        }
    }
    out
}

/// An amount with exactly the currency's decimals.
fn amount(currency: Currency, value: Decimal) -> String {
    let mut v = currency.round(value);
    v.rescale(currency.minor_units());
    v.to_string()
}

fn number(value: Decimal) -> String {
    value.normalize().to_string()
}

fn day(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

/// What the category's breakdown says about it (BT-120/121): the VATEX code, or for `E` the
/// reason text.
fn exemption(category: TaxCategory, reason: &str) -> (Option<&'static str>, Option<String>) {
    match category {
        TaxCategory::S | TaxCategory::Z => (None, None),
        TaxCategory::E => (None, Some(reason.to_string())),
        TaxCategory::AE => (category.vatex(), Some("Reverse charge".into())),
        TaxCategory::K => (category.vatex(), Some("Intra-Community supply".into())),
        TaxCategory::G => (category.vatex(), Some("Export outside the EU".into())),
        TaxCategory::O => (category.vatex(), Some("Not subject to VAT".into())),
    }
}

impl EInvoice {
    fn has(&self, category: TaxCategory) -> bool {
        self.taxes.iter().any(|t| t.category == category)
    }

    /// BR-O-02: with category `O` neither VAT ID is carried.
    fn carries_vat_ids(&self) -> bool {
        !self.has(TaxCategory::O)
    }

    /// The line's allowance (positive) or charge (negative) that brings quantity × price to
    /// its net: a discount, or a credit note's cumulative cent.
    fn adjustment(&self, line: &ELine) -> Decimal {
        self.currency.round(line.quantity * line.unit_price) - line.net
    }

    fn type_code(&self) -> &'static str {
        match self.kind {
            DocumentKind::Invoice => "380",
            DocumentKind::CreditNote => "381",
        }
    }

    fn payment_code(&self) -> &'static str {
        if self.currency == Currency::EUR && self.iban.len() >= 15 {
            "58"
        } else {
            "30"
        }
    }
}

fn cii(e: &EInvoice, format: Format) -> String {
    let c = e.currency;
    let a = |v: Decimal| amount(c, v);
    let mut x = String::with_capacity(8192);
    x.push_str(concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
        "<rsm:CrossIndustryInvoice xmlns:rsm=\"urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100\"",
        " xmlns:ram=\"urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100\"",
        " xmlns:qdt=\"urn:un:unece:uncefact:data:standard:QualifiedDataType:100\"",
        " xmlns:udt=\"urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100\">\n",
        "<rsm:ExchangedDocumentContext>",
    ));
    if format.xrechnung() {
        x.push_str("<ram:BusinessProcessSpecifiedDocumentContextParameter><ram:ID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</ram:ID></ram:BusinessProcessSpecifiedDocumentContextParameter>");
    }
    x.push_str(&format!(
        "<ram:GuidelineSpecifiedDocumentContextParameter><ram:ID>{}</ram:ID></ram:GuidelineSpecifiedDocumentContextParameter></rsm:ExchangedDocumentContext>\n",
        format.specification()
    ));
    x.push_str(&format!(
        "<rsm:ExchangedDocument><ram:ID>{}</ram:ID><ram:TypeCode>{}</ram:TypeCode><ram:IssueDateTime><udt:DateTimeString format=\"102\">{}</udt:DateTimeString></ram:IssueDateTime>",
        esc(&e.number),
        e.type_code(),
        day(e.issue_date)
    ));
    if !e.note.trim().is_empty() {
        x.push_str(&format!(
            "<ram:IncludedNote><ram:Content>{}</ram:Content></ram:IncludedNote>",
            esc(e.note.trim())
        ));
    }
    x.push_str("</rsm:ExchangedDocument>\n<rsm:SupplyChainTradeTransaction>\n");
    for (i, l) in e.lines.iter().enumerate() {
        x.push_str(&format!(
            "<ram:IncludedSupplyChainTradeLineItem><ram:AssociatedDocumentLineDocument><ram:LineID>{}</ram:LineID></ram:AssociatedDocumentLineDocument><ram:SpecifiedTradeProduct><ram:Name>{}</ram:Name></ram:SpecifiedTradeProduct>",
            i + 1,
            esc(&line_name(l))
        ));
        x.push_str(&format!(
            "<ram:SpecifiedLineTradeAgreement><ram:NetPriceProductTradePrice><ram:ChargeAmount>{}</ram:ChargeAmount></ram:NetPriceProductTradePrice></ram:SpecifiedLineTradeAgreement>",
            number(l.unit_price)
        ));
        x.push_str(&format!(
            "<ram:SpecifiedLineTradeDelivery><ram:BilledQuantity unitCode=\"{}\">{}</ram:BilledQuantity></ram:SpecifiedLineTradeDelivery>",
            unit_code(&l.unit),
            number(l.quantity)
        ));
        x.push_str("<ram:SpecifiedLineTradeSettlement><ram:ApplicableTradeTax><ram:TypeCode>VAT</ram:TypeCode>");
        x.push_str(&format!(
            "<ram:CategoryCode>{}</ram:CategoryCode>",
            l.category.code()
        ));
        if l.category != TaxCategory::O {
            x.push_str(&format!(
                "<ram:RateApplicablePercent>{}</ram:RateApplicablePercent>",
                number(l.rate)
            ));
        }
        x.push_str("</ram:ApplicableTradeTax>");
        let adjustment = e.adjustment(l);
        if !adjustment.is_zero() {
            let allowance = adjustment > Decimal::ZERO;
            x.push_str(&format!(
                "<ram:SpecifiedTradeAllowanceCharge><ram:ChargeIndicator><udt:Indicator>{}</udt:Indicator></ram:ChargeIndicator><ram:ActualAmount>{}</ram:ActualAmount><ram:ReasonCode>{}</ram:ReasonCode><ram:Reason>{}</ram:Reason></ram:SpecifiedTradeAllowanceCharge>",
                !allowance,
                a(adjustment.abs()),
                if allowance { "95" } else { "ZZZ" },
                if allowance { "Discount" } else { "Rounding" }
            ));
        }
        x.push_str(&format!(
            "<ram:SpecifiedTradeSettlementLineMonetarySummation><ram:LineTotalAmount>{}</ram:LineTotalAmount></ram:SpecifiedTradeSettlementLineMonetarySummation></ram:SpecifiedLineTradeSettlement></ram:IncludedSupplyChainTradeLineItem>\n",
            a(l.net)
        ));
    }
    x.push_str("<ram:ApplicableHeaderTradeAgreement>");
    x.push_str(&format!(
        "<ram:BuyerReference>{}</ram:BuyerReference>",
        esc(&e.buyer_reference)
    ));
    cii_party(
        &mut x,
        "SellerTradeParty",
        &e.seller,
        Some(&e.seller_contact),
        e.carries_vat_ids(),
    );
    cii_party(
        &mut x,
        "BuyerTradeParty",
        &e.buyer,
        None,
        e.carries_vat_ids(),
    );
    x.push_str("</ram:ApplicableHeaderTradeAgreement>\n<ram:ApplicableHeaderTradeDelivery>");
    if e.has(TaxCategory::K) || e.has(TaxCategory::G) {
        // Delivered to the buyer's address (BT-80; XRechnung also wants its city and post
        // code, BR-DE-10/11).
        let b = &e.buyer;
        x.push_str("<ram:ShipToTradeParty><ram:PostalTradeAddress>");
        if !b.postal_code.is_empty() {
            x.push_str(&format!(
                "<ram:PostcodeCode>{}</ram:PostcodeCode>",
                esc(&b.postal_code)
            ));
        }
        if !b.street.is_empty() {
            x.push_str(&format!("<ram:LineOne>{}</ram:LineOne>", esc(&b.street)));
        }
        if !b.city.is_empty() {
            x.push_str(&format!("<ram:CityName>{}</ram:CityName>", esc(&b.city)));
        }
        x.push_str(&format!(
            "<ram:CountryID>{}</ram:CountryID></ram:PostalTradeAddress></ram:ShipToTradeParty>",
            esc(&b.country)
        ));
    }
    if let Delivery::Date(d) = e.delivery {
        x.push_str(&format!(
            "<ram:ActualDeliverySupplyChainEvent><ram:OccurrenceDateTime><udt:DateTimeString format=\"102\">{}</udt:DateTimeString></ram:OccurrenceDateTime></ram:ActualDeliverySupplyChainEvent>",
            day(d)
        ));
    }
    x.push_str("</ram:ApplicableHeaderTradeDelivery>\n<ram:ApplicableHeaderTradeSettlement>");
    x.push_str(&format!(
        "<ram:PaymentReference>{}</ram:PaymentReference><ram:InvoiceCurrencyCode>{}</ram:InvoiceCurrencyCode>",
        esc(&e.number),
        c.code()
    ));
    if !e.iban.is_empty() {
        x.push_str(&format!(
            "<ram:SpecifiedTradeSettlementPaymentMeans><ram:TypeCode>{}</ram:TypeCode><ram:PayeePartyCreditorFinancialAccount><ram:IBANID>{}</ram:IBANID></ram:PayeePartyCreditorFinancialAccount>",
            e.payment_code(),
            esc(&e.iban)
        ));
        if !e.bic.is_empty() {
            x.push_str(&format!(
                "<ram:PayeeSpecifiedCreditorFinancialInstitution><ram:BICID>{}</ram:BICID></ram:PayeeSpecifiedCreditorFinancialInstitution>",
                esc(&e.bic)
            ));
        }
        x.push_str("</ram:SpecifiedTradeSettlementPaymentMeans>");
    }
    for t in &e.taxes {
        let (code, reason) = exemption(t.category, &e.exemption_reason);
        x.push_str(&format!(
            "<ram:ApplicableTradeTax><ram:CalculatedAmount>{}</ram:CalculatedAmount><ram:TypeCode>VAT</ram:TypeCode>",
            a(t.tax)
        ));
        if let Some(reason) = &reason {
            x.push_str(&format!(
                "<ram:ExemptionReason>{}</ram:ExemptionReason>",
                esc(reason)
            ));
        }
        x.push_str(&format!(
            "<ram:BasisAmount>{}</ram:BasisAmount><ram:CategoryCode>{}</ram:CategoryCode>",
            a(t.base),
            t.category.code()
        ));
        if let Some(code) = code {
            x.push_str(&format!(
                "<ram:ExemptionReasonCode>{code}</ram:ExemptionReasonCode>"
            ));
        }
        // The breakdown always states its rate (0 for O: XRechnung's BR-DE-14); only
        // lines of category O carry none (BR-O-05).
        x.push_str(&format!(
            "<ram:RateApplicablePercent>{}</ram:RateApplicablePercent></ram:ApplicableTradeTax>",
            number(t.rate_percent)
        ));
    }
    if let Delivery::Period(from, to) = e.delivery {
        x.push_str(&format!(
            "<ram:BillingSpecifiedPeriod><ram:StartDateTime><udt:DateTimeString format=\"102\">{}</udt:DateTimeString></ram:StartDateTime><ram:EndDateTime><udt:DateTimeString format=\"102\">{}</udt:DateTimeString></ram:EndDateTime></ram:BillingSpecifiedPeriod>",
            day(from),
            day(to)
        ));
    }
    if let Some(due) = e.due_date {
        x.push_str(&format!(
            "<ram:SpecifiedTradePaymentTerms><ram:DueDateDateTime><udt:DateTimeString format=\"102\">{}</udt:DateTimeString></ram:DueDateDateTime></ram:SpecifiedTradePaymentTerms>",
            day(due)
        ));
    }
    x.push_str(&format!(
        "<ram:SpecifiedTradeSettlementHeaderMonetarySummation><ram:LineTotalAmount>{}</ram:LineTotalAmount><ram:TaxBasisTotalAmount>{}</ram:TaxBasisTotalAmount><ram:TaxTotalAmount currencyID=\"{}\">{}</ram:TaxTotalAmount><ram:GrandTotalAmount>{}</ram:GrandTotalAmount><ram:DuePayableAmount>{}</ram:DuePayableAmount></ram:SpecifiedTradeSettlementHeaderMonetarySummation>",
        a(e.subtotal),
        a(e.subtotal),
        c.code(),
        a(e.tax_total),
        a(e.total),
        a(e.total)
    ));
    if let Some((number, date)) = &e.preceding {
        x.push_str(&format!(
            "<ram:InvoiceReferencedDocument><ram:IssuerAssignedID>{}</ram:IssuerAssignedID>",
            esc(number)
        ));
        if let Some(d) = date {
            x.push_str(&format!(
                "<ram:FormattedIssueDateTime><qdt:DateTimeString format=\"102\">{}</qdt:DateTimeString></ram:FormattedIssueDateTime>",
                day(*d)
            ));
        }
        x.push_str("</ram:InvoiceReferencedDocument>");
    }
    x.push_str("</ram:ApplicableHeaderTradeSettlement>\n</rsm:SupplyChainTradeTransaction>\n</rsm:CrossIndustryInvoice>\n");
    x
}

/// A line's item name: its description, or its unit when the description is empty (BT-153
/// must not be empty).
fn line_name(l: &ELine) -> String {
    match l.description.trim() {
        "" => l.unit.trim().to_string(),
        d => d.to_string(),
    }
}

fn cii_party(x: &mut String, element: &str, p: &EParty, contact: Option<&Contact>, vat_ids: bool) {
    x.push_str(&format!(
        "<ram:{element}><ram:Name>{}</ram:Name>",
        esc(&p.name)
    ));
    if !p.legal_registration.is_empty() {
        x.push_str(&format!(
            "<ram:SpecifiedLegalOrganization><ram:ID>{}</ram:ID></ram:SpecifiedLegalOrganization>",
            esc(&p.legal_registration)
        ));
    }
    if let Some(c) = contact.filter(|c| !c.name.is_empty() || !c.email.is_empty()) {
        x.push_str("<ram:DefinedTradeContact>");
        if !c.name.is_empty() {
            x.push_str(&format!(
                "<ram:PersonName>{}</ram:PersonName>",
                esc(&c.name)
            ));
        }
        if !c.phone.is_empty() {
            x.push_str(&format!(
                "<ram:TelephoneUniversalCommunication><ram:CompleteNumber>{}</ram:CompleteNumber></ram:TelephoneUniversalCommunication>",
                esc(&c.phone)
            ));
        }
        if !c.email.is_empty() {
            x.push_str(&format!(
                "<ram:EmailURIUniversalCommunication><ram:URIID>{}</ram:URIID></ram:EmailURIUniversalCommunication>",
                esc(&c.email)
            ));
        }
        x.push_str("</ram:DefinedTradeContact>");
    }
    x.push_str("<ram:PostalTradeAddress>");
    if !p.postal_code.is_empty() {
        x.push_str(&format!(
            "<ram:PostcodeCode>{}</ram:PostcodeCode>",
            esc(&p.postal_code)
        ));
    }
    if !p.street.is_empty() {
        x.push_str(&format!("<ram:LineOne>{}</ram:LineOne>", esc(&p.street)));
    }
    if !p.street2.is_empty() {
        x.push_str(&format!("<ram:LineTwo>{}</ram:LineTwo>", esc(&p.street2)));
    }
    if !p.city.is_empty() {
        x.push_str(&format!("<ram:CityName>{}</ram:CityName>", esc(&p.city)));
    }
    x.push_str(&format!(
        "<ram:CountryID>{}</ram:CountryID></ram:PostalTradeAddress>",
        esc(&p.country)
    ));
    if let Some((scheme, id)) = &p.electronic_address {
        x.push_str(&format!(
            "<ram:URIUniversalCommunication><ram:URIID schemeID=\"{}\">{}</ram:URIID></ram:URIUniversalCommunication>",
            esc(scheme),
            esc(id)
        ));
    }
    if vat_ids && !p.vat_id.is_empty() {
        x.push_str(&format!(
            "<ram:SpecifiedTaxRegistration><ram:ID schemeID=\"VA\">{}</ram:ID></ram:SpecifiedTaxRegistration>",
            esc(&p.vat_id)
        ));
    }
    if !p.tax_number.is_empty() {
        x.push_str(&format!(
            "<ram:SpecifiedTaxRegistration><ram:ID schemeID=\"FC\">{}</ram:ID></ram:SpecifiedTaxRegistration>",
            esc(&p.tax_number)
        ));
    }
    x.push_str(&format!("</ram:{element}>"));
}

fn ubl(e: &EInvoice, format: Format) -> String {
    let c = e.currency;
    let cur = c.code();
    let a = |v: Decimal| amount(c, v);
    let credit = e.kind == DocumentKind::CreditNote;
    let root = if credit { "CreditNote" } else { "Invoice" };
    let mut x = String::with_capacity(8192);
    x.push_str(&format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<{root} xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:{root}-2\" xmlns:cac=\"urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2\" xmlns:cbc=\"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2\">\n"
    ));
    x.push_str(&format!(
        "<cbc:CustomizationID>{}</cbc:CustomizationID><cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID><cbc:ID>{}</cbc:ID><cbc:IssueDate>{}</cbc:IssueDate>",
        format.specification(),
        esc(&e.number),
        e.issue_date
    ));
    if let (Some(due), false) = (e.due_date, credit) {
        x.push_str(&format!("<cbc:DueDate>{due}</cbc:DueDate>"));
    }
    x.push_str(&format!(
        "<cbc:{root}TypeCode>{}</cbc:{root}TypeCode>",
        e.type_code()
    ));
    if !e.note.trim().is_empty() {
        x.push_str(&format!("<cbc:Note>{}</cbc:Note>", esc(e.note.trim())));
    }
    x.push_str(&format!(
        "<cbc:DocumentCurrencyCode>{cur}</cbc:DocumentCurrencyCode><cbc:BuyerReference>{}</cbc:BuyerReference>",
        esc(&e.buyer_reference)
    ));
    if let Delivery::Period(from, to) = e.delivery {
        x.push_str(&format!(
            "<cac:InvoicePeriod><cbc:StartDate>{from}</cbc:StartDate><cbc:EndDate>{to}</cbc:EndDate></cac:InvoicePeriod>"
        ));
    }
    if let Some((number, date)) = &e.preceding {
        x.push_str(&format!(
            "<cac:BillingReference><cac:InvoiceDocumentReference><cbc:ID>{}</cbc:ID>",
            esc(number)
        ));
        if let Some(d) = date {
            x.push_str(&format!("<cbc:IssueDate>{d}</cbc:IssueDate>"));
        }
        x.push_str("</cac:InvoiceDocumentReference></cac:BillingReference>");
    }
    x.push('\n');
    ubl_party(
        &mut x,
        "AccountingSupplierParty",
        &e.seller,
        Some(&e.seller_contact),
        e.carries_vat_ids(),
    );
    ubl_party(
        &mut x,
        "AccountingCustomerParty",
        &e.buyer,
        None,
        e.carries_vat_ids(),
    );
    let ship_to = e.has(TaxCategory::K) || e.has(TaxCategory::G);
    let delivery_date = match e.delivery {
        Delivery::Date(d) => Some(d),
        Delivery::Period(..) => None,
    };
    if ship_to || delivery_date.is_some() {
        x.push_str("<cac:Delivery>");
        if let Some(d) = delivery_date {
            x.push_str(&format!(
                "<cbc:ActualDeliveryDate>{d}</cbc:ActualDeliveryDate>"
            ));
        }
        if ship_to {
            let b = &e.buyer;
            x.push_str("<cac:DeliveryLocation><cac:Address>");
            if !b.street.is_empty() {
                x.push_str(&format!(
                    "<cbc:StreetName>{}</cbc:StreetName>",
                    esc(&b.street)
                ));
            }
            if !b.city.is_empty() {
                x.push_str(&format!("<cbc:CityName>{}</cbc:CityName>", esc(&b.city)));
            }
            if !b.postal_code.is_empty() {
                x.push_str(&format!(
                    "<cbc:PostalZone>{}</cbc:PostalZone>",
                    esc(&b.postal_code)
                ));
            }
            x.push_str(&format!(
                "<cac:Country><cbc:IdentificationCode>{}</cbc:IdentificationCode></cac:Country></cac:Address></cac:DeliveryLocation>",
                esc(&b.country)
            ));
        }
        x.push_str("</cac:Delivery>");
    }
    if !e.iban.is_empty() {
        x.push_str(&format!(
            "<cac:PaymentMeans><cbc:PaymentMeansCode>{}</cbc:PaymentMeansCode>",
            e.payment_code()
        ));
        if let (Some(due), true) = (e.due_date, credit) {
            x.push_str(&format!("<cbc:PaymentDueDate>{due}</cbc:PaymentDueDate>"));
        }
        x.push_str(&format!(
            "<cbc:PaymentID>{}</cbc:PaymentID><cac:PayeeFinancialAccount><cbc:ID>{}</cbc:ID>",
            esc(&e.number),
            esc(&e.iban)
        ));
        if !e.bic.is_empty() {
            x.push_str(&format!(
                "<cac:FinancialInstitutionBranch><cbc:ID>{}</cbc:ID></cac:FinancialInstitutionBranch>",
                esc(&e.bic)
            ));
        }
        x.push_str("</cac:PayeeFinancialAccount></cac:PaymentMeans>");
    }
    x.push_str(&format!(
        "\n<cac:TaxTotal><cbc:TaxAmount currencyID=\"{cur}\">{}</cbc:TaxAmount>",
        a(e.tax_total)
    ));
    for t in &e.taxes {
        x.push_str(&format!(
            "<cac:TaxSubtotal><cbc:TaxableAmount currencyID=\"{cur}\">{}</cbc:TaxableAmount><cbc:TaxAmount currencyID=\"{cur}\">{}</cbc:TaxAmount>",
            a(t.base),
            a(t.tax)
        ));
        ubl_category(
            &mut x,
            "TaxCategory",
            t.category,
            t.rate_percent,
            &e.exemption_reason,
            true,
        );
        x.push_str("</cac:TaxSubtotal>");
    }
    x.push_str("</cac:TaxTotal>\n");
    x.push_str(&format!(
        "<cac:LegalMonetaryTotal><cbc:LineExtensionAmount currencyID=\"{cur}\">{}</cbc:LineExtensionAmount><cbc:TaxExclusiveAmount currencyID=\"{cur}\">{}</cbc:TaxExclusiveAmount><cbc:TaxInclusiveAmount currencyID=\"{cur}\">{}</cbc:TaxInclusiveAmount><cbc:PayableAmount currencyID=\"{cur}\">{}</cbc:PayableAmount></cac:LegalMonetaryTotal>\n",
        a(e.subtotal),
        a(e.subtotal),
        a(e.total),
        a(e.total)
    ));
    let (line, quantity) = if credit {
        ("CreditNoteLine", "CreditedQuantity")
    } else {
        ("InvoiceLine", "InvoicedQuantity")
    };
    for (i, l) in e.lines.iter().enumerate() {
        x.push_str(&format!(
            "<cac:{line}><cbc:ID>{}</cbc:ID><cbc:{quantity} unitCode=\"{}\">{}</cbc:{quantity}><cbc:LineExtensionAmount currencyID=\"{cur}\">{}</cbc:LineExtensionAmount>",
            i + 1,
            unit_code(&l.unit),
            number(l.quantity),
            a(l.net)
        ));
        let adjustment = e.adjustment(l);
        if !adjustment.is_zero() {
            let allowance = adjustment > Decimal::ZERO;
            x.push_str(&format!(
                "<cac:AllowanceCharge><cbc:ChargeIndicator>{}</cbc:ChargeIndicator><cbc:AllowanceChargeReasonCode>{}</cbc:AllowanceChargeReasonCode><cbc:AllowanceChargeReason>{}</cbc:AllowanceChargeReason><cbc:Amount currencyID=\"{cur}\">{}</cbc:Amount></cac:AllowanceCharge>",
                !allowance,
                if allowance { "95" } else { "ZZZ" },
                if allowance { "Discount" } else { "Rounding" },
                a(adjustment.abs())
            ));
        }
        x.push_str(&format!(
            "<cac:Item><cbc:Name>{}</cbc:Name>",
            esc(&line_name(l))
        ));
        ubl_category(
            &mut x,
            "ClassifiedTaxCategory",
            l.category,
            l.rate,
            "",
            false,
        );
        x.push_str(&format!(
            "</cac:Item><cac:Price><cbc:PriceAmount currencyID=\"{cur}\">{}</cbc:PriceAmount></cac:Price></cac:{line}>\n",
            number(l.unit_price)
        ));
    }
    x.push_str(&format!("</{root}>\n"));
    x
}

fn ubl_category(
    x: &mut String,
    element: &str,
    category: TaxCategory,
    rate: Decimal,
    reason: &str,
    breakdown: bool,
) {
    x.push_str(&format!(
        "<cac:{element}><cbc:ID>{}</cbc:ID>",
        category.code()
    ));
    // Lines of category O carry no rate (BR-O-05); the breakdown states 0 (BR-DE-14).
    if breakdown || category != TaxCategory::O {
        x.push_str(&format!("<cbc:Percent>{}</cbc:Percent>", number(rate)));
    }
    if breakdown {
        let (code, text) = exemption(category, reason);
        if let Some(code) = code {
            x.push_str(&format!(
                "<cbc:TaxExemptionReasonCode>{code}</cbc:TaxExemptionReasonCode>"
            ));
        }
        if let Some(text) = text {
            x.push_str(&format!(
                "<cbc:TaxExemptionReason>{}</cbc:TaxExemptionReason>",
                esc(&text)
            ));
        }
    }
    x.push_str(&format!(
        "<cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:{element}>"
    ));
}

fn ubl_party(x: &mut String, element: &str, p: &EParty, contact: Option<&Contact>, vat_ids: bool) {
    x.push_str(&format!("<cac:{element}><cac:Party>"));
    if let Some((scheme, id)) = &p.electronic_address {
        x.push_str(&format!(
            "<cbc:EndpointID schemeID=\"{}\">{}</cbc:EndpointID>",
            esc(scheme),
            esc(id)
        ));
    }
    x.push_str("<cac:PostalAddress>");
    if !p.street.is_empty() {
        x.push_str(&format!(
            "<cbc:StreetName>{}</cbc:StreetName>",
            esc(&p.street)
        ));
    }
    if !p.street2.is_empty() {
        x.push_str(&format!(
            "<cbc:AdditionalStreetName>{}</cbc:AdditionalStreetName>",
            esc(&p.street2)
        ));
    }
    if !p.city.is_empty() {
        x.push_str(&format!("<cbc:CityName>{}</cbc:CityName>", esc(&p.city)));
    }
    if !p.postal_code.is_empty() {
        x.push_str(&format!(
            "<cbc:PostalZone>{}</cbc:PostalZone>",
            esc(&p.postal_code)
        ));
    }
    x.push_str(&format!(
        "<cac:Country><cbc:IdentificationCode>{}</cbc:IdentificationCode></cac:Country></cac:PostalAddress>",
        esc(&p.country)
    ));
    if vat_ids && !p.vat_id.is_empty() {
        x.push_str(&format!(
            "<cac:PartyTaxScheme><cbc:CompanyID>{}</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>",
            esc(&p.vat_id)
        ));
    }
    if !p.tax_number.is_empty() {
        x.push_str(&format!(
            "<cac:PartyTaxScheme><cbc:CompanyID>{}</cbc:CompanyID><cac:TaxScheme><cbc:ID>FC</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>",
            esc(&p.tax_number)
        ));
    }
    x.push_str(&format!(
        "<cac:PartyLegalEntity><cbc:RegistrationName>{}</cbc:RegistrationName>",
        esc(&p.name)
    ));
    if !p.legal_registration.is_empty() {
        x.push_str(&format!(
            "<cbc:CompanyID>{}</cbc:CompanyID>",
            esc(&p.legal_registration)
        ));
    }
    x.push_str("</cac:PartyLegalEntity>");
    if let Some(c) = contact.filter(|c| !c.name.is_empty() || !c.email.is_empty()) {
        x.push_str("<cac:Contact>");
        if !c.name.is_empty() {
            x.push_str(&format!("<cbc:Name>{}</cbc:Name>", esc(&c.name)));
        }
        if !c.phone.is_empty() {
            x.push_str(&format!("<cbc:Telephone>{}</cbc:Telephone>", esc(&c.phone)));
        }
        if !c.email.is_empty() {
            x.push_str(&format!(
                "<cbc:ElectronicMail>{}</cbc:ElectronicMail>",
                esc(&c.email)
            ));
        }
        x.push_str("</cac:Contact>");
    }
    x.push_str(&format!("</cac:Party></cac:{element}>\n"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_map_to_recommendation_20() {
        assert_eq!(unit_code("hour"), "HUR");
        assert_eq!(unit_code("Hours"), "HUR");
        assert_eq!(unit_code("seat/month"), "C62");
        assert_eq!(unit_code("day"), "DAY");
        assert_eq!(unit_code(""), "C62");
        assert_eq!(
            electronic_address("9930:DE123456788"),
            Some(("9930".into(), "DE123456788".into()))
        );
        assert_eq!(
            electronic_address("ap@example.de"),
            Some(("EM".into(), "ap@example.de".into()))
        );
        assert_eq!(
            esc("A & B <c> \"d\" 'e'\u{1}"),
            "A &amp; B &lt;c&gt; &quot;d&quot; &apos;e&apos;"
        );
    }
}
