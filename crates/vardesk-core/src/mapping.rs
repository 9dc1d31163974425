//! Moving in (DOMAIN.md §11): which column of another tool's CSV export feeds which VarDesk
//! field. Headers are mapped automatically from an alias table (§8's own names; the export
//! headers of Invoice Ninja, InvoiceShelf/Crater, QuickBooks Online, Xero and HubSpot; common
//! headers in en, de, fr, nl, es, it), then the user may change any column. Two columns on
//! one field, or a required field without a column, are refused with a sentence.
//!
//! Sources of the tools' headers are noted beside their aliases below.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::CoreError;
use crate::search::fold;

/// What a file is imported as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    Customers,
    OpenInvoices,
    Subscriptions,
    /// The distributor's monthly bill (§10).
    Reconciliation,
    /// Microsoft's new-commerce price list, or a distributor's (§10).
    PriceList,
}

/// A field a column can be mapped to.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, specta::Type)]
pub struct Field {
    pub name: &'static str,
    pub label: &'static str,
    pub required: bool,
}

const fn f(name: &'static str, label: &'static str, required: bool) -> Field {
    Field {
        name,
        label,
        required,
    }
}

/// First and last name columns, joined into `contact_name` (§11's composite field).
pub const FIRST_NAME: &str = "contact_first_name";
pub const LAST_NAME: &str = "contact_last_name";

const CUSTOMER_FIELDS: &[Field] = &[
    f("name", "Customer name", true),
    f("contact_name", "Contact person", false),
    f(FIRST_NAME, "Contact first name", false),
    f(LAST_NAME, "Contact last name", false),
    f("email", "E-mail", false),
    f("phone", "Phone", false),
    f("address_line1", "Address", false),
    f("address_line2", "Address line 2", false),
    f("postal_code", "Postal code", false),
    f("city", "City", false),
    f("country", "Country", false),
    f("vat_id", "VAT ID", false),
    f("tax_id", "Other tax number", false),
    f("currency", "Currency", false),
    f("payment_terms_days", "Payment terms (days)", false),
    f("language", "Document language", false),
    f("notes", "Notes", false),
    f("status", "Status", false),
    f("tax_treatment", "Tax treatment", false),
    f("exemption_reason", "Exemption reason", false),
    f("buyer_reference", "Buyer reference", false),
    f("peppol_id", "Peppol ID", false),
    f("tenant_id", "Microsoft tenant id", false),
    f("tenant_domain", "Microsoft tenant domain", false),
    f("mail_platform", "Mail platform", false),
    f("mailboxes", "Mailboxes", false),
    f("shared_mailboxes", "Shared mailboxes", false),
    f("pcs", "PCs", false),
    f("phones", "Phones", false),
    f("sites", "Sites", false),
    f("mailbox_gb", "Mailbox data (GB)", false),
    f("archive_gb", "Archive data (GB)", false),
    f("public_folder_gb", "Public folder data (GB)", false),
    f("file_gb", "File data (GB)", false),
];

const OPEN_INVOICE_FIELDS: &[Field] = &[
    f("number", "Invoice number", true),
    f("customer", "Customer (name or number)", true),
    f("issue_date", "Invoice date", true),
    f("due_date", "Due date", false),
    f("currency", "Currency", false),
    f("total", "Total", true),
    f("open_amount", "Open amount", false),
    f("paid", "Paid so far", false),
];

const SUBSCRIPTION_FIELDS: &[Field] = &[
    f("customer", "Customer (name or number)", true),
    f("description", "Description", true),
    f("quantity", "Quantity", false),
    f("unit", "Unit", false),
    f("unit_price", "Unit price", true),
    f("unit_cost", "Unit cost", false),
    f("discount_percent", "Discount %", false),
    f("tax_rate_percent", "Tax rate %", false),
    f("interval", "Billed monthly or annually", false),
    f("start_date", "Start date", true),
    f("end_date", "End date", false),
    f("next_month", "Next month to bill", false),
    f("term", "Microsoft term (P1M, P1Y, P3Y)", false),
    f("billing", "Microsoft billing frequency", false),
    f("ms_subscription_id", "Microsoft subscription id", false),
    f("ms_product_id", "Microsoft product id", false),
    f("ms_sku_id", "Microsoft SKU id", false),
];

/// The distributor's bill, one charge per row (§10). Only the seats are required; a row is
/// matched by its Microsoft subscription id, else by the customer's tenant (id or domain)
/// and the product/SKU ids.
const BILL_FIELDS: &[Field] = &[
    f("ms_subscription_id", "Microsoft subscription id", false),
    f("tenant_id", "Customer's Microsoft tenant id", false),
    f("tenant_domain", "Customer's Microsoft domain", false),
    f("customer_name", "Customer name", false),
    f("product_id", "Product id", false),
    f("sku_id", "SKU id", false),
    f("sku_name", "Product or SKU name", false),
    f("charge_type", "Charge type", false),
    f("unit_price", "Unit cost", false),
    f("quantity", "Seats (billable quantity)", true),
    f("subtotal", "Amount before tax", false),
    f("currency", "Currency", false),
    f("charge_start", "Charge from", false),
    f("charge_end", "Charge until", false),
    f("billing_frequency", "Billing frequency", false),
];

/// A price list, one price per row (§10): a product/SKU at a term and billing frequency in
/// one currency, the partner's cost and the suggested retail price.
const PRICE_LIST_FIELDS: &[Field] = &[
    f("product_id", "Product id", true),
    f("sku_id", "SKU id", false),
    f("product_title", "Product name", false),
    f("sku_title", "SKU name", false),
    f("term", "Term (P1M, P1Y, P3Y)", true),
    f("billing", "Billing plan", true),
    f("market", "Market", false),
    f("currency", "Currency", true),
    f("unit_price", "Your cost for the term", true),
    f("erp_price", "Suggested retail price", false),
    f("tier_min", "Tier from", false),
    f("effective_start", "Valid from", false),
    f("effective_end", "Valid until", false),
    f("tags", "Tags", false),
];

impl ImportKind {
    pub fn fields(self) -> &'static [Field] {
        match self {
            ImportKind::Customers => CUSTOMER_FIELDS,
            ImportKind::OpenInvoices => OPEN_INVOICE_FIELDS,
            ImportKind::Subscriptions => SUBSCRIPTION_FIELDS,
            ImportKind::Reconciliation => BILL_FIELDS,
            ImportKind::PriceList => PRICE_LIST_FIELDS,
        }
    }

    fn field(self, name: &str) -> Option<&'static Field> {
        self.fields().iter().find(|f| f.name == name)
    }

    fn aliases(self) -> &'static [(&'static str, &'static [&'static str])] {
        match self {
            ImportKind::Customers => CUSTOMER_ALIASES,
            ImportKind::OpenInvoices => OPEN_INVOICE_ALIASES,
            ImportKind::Subscriptions => SUBSCRIPTION_ALIASES,
            ImportKind::Reconciliation => BILL_ALIASES,
            ImportKind::PriceList => PRICE_LIST_ALIASES,
        }
    }

    pub fn parse(text: &str) -> Option<ImportKind> {
        match text {
            "customers" => Some(ImportKind::Customers),
            "open_invoices" => Some(ImportKind::OpenInvoices),
            "subscriptions" => Some(ImportKind::Subscriptions),
            "reconciliation" => Some(ImportKind::Reconciliation),
            "price_list" => Some(ImportKind::PriceList),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ImportKind::Customers => "customers",
            ImportKind::OpenInvoices => "open_invoices",
            ImportKind::Subscriptions => "subscriptions",
            ImportKind::Reconciliation => "reconciliation",
            ImportKind::PriceList => "price_list",
        }
    }
}

// Aliases are compared as `key()` makes them: folded (lower case, no accents, ß → ss) and
// only letters and digits, so "USt-IdNr.", "ust_idnr" and "UST IDNR" are one alias.
//
// Export headers by tool (as the tools write them; sources checked 2026-11-27):
// - Invoice Ninja v5 reports (invoiceninja/invoiceninja app/Export/CSV/BaseExport.php
//   default report keys, labels from lang/en/texts.php): clients "Name", "Number",
//   "Client Currency", "Private Notes", "Client Phone", "Street", "Apt/Suite", "City",
//   "Postal Code", "Country", "Client Payment Terms", "VAT Number", "First Name",
//   "Last Name", "Email"; contacts the same prefixed "Client …"/"Contact …"; invoices
//   "Client Name", "Client Currency", "Invoice Invoice Number", "Invoice Amount",
//   "Invoice Balance", "Invoice Paid to Date", "Invoice Date", "Invoice Due Date";
//   recurring invoices "Recurring Invoice Amount", "… How Often", "… Next Send Date".
// - Xero: contacts ContactName (the organisation), EmailAddress, FirstName, LastName,
//   POAddressLine1-4, POCity, POPostalCode, POCountry, SA… (street address), PhoneNumber,
//   TaxNumber; sales invoices one row per line: ContactName, InvoiceNumber, InvoiceDate,
//   DueDate, Total, InvoiceAmountPaid, InvoiceAmountDue, Currency.
// - QuickBooks Online: customer list "Customer" / "Customer full name", "Full name" (the
//   person), "Email", "Phone Numbers", "Bill address"; import template Name, Company, Email,
//   Phone, Street, City, State, ZIP code, Country, Currency; invoice reports (after title
//   lines) Date, Num, Customer, Due Date, Amount, Open Balance.
// - InvoiceShelf (2026 export): name, contact_name, company_name, email, phone, tax_id,
//   currency, billing_street_1, billing_street_2, billing_city, billing_zip,
//   billing_country; invoices invoice_number, customer, invoice_date, due_date, currency,
//   total, due_amount. Crater never had a CSV export.
// - HubSpot (property labels): companies "Company name", "Street Address",
//   "Street Address 2", "City", "Postal Code", "Country/Region", "Phone Number"; contacts
//   "First Name", "Last Name", "Email".
const CUSTOMER_ALIASES: &[(&str, &[&str])] = &[
    (
        "name",
        &[
            "name",
            "customer",
            "customername",
            "customerfullname",
            "company",
            "companyname",
            "clientname",
            "client",
            "organisation",
            "organization",
            "organisationname",
            "organizationname",
            "accountname",
            "businessname",
            "displayname",
            "firma",
            "firmenname",
            "unternehmen",
            "kunde",
            "kundenname",
            "societe",
            "raisonsociale",
            "nomdelentreprise",
            "entreprise",
            "nomduclient",
            "bedrijfsnaam",
            "bedrijf",
            "klant",
            "klantnaam",
            "empresa",
            "nombredelaempresa",
            "razonsocial",
            "cliente",
            "nombredelcliente",
            "azienda",
            "ragionesociale",
            "nomeazienda",
            "denominazione",
            "associatedcompany",
        ],
    ),
    (
        "contact_name",
        &[
            "contactname",
            "contact",
            "contactperson",
            "fullname",
            "ansprechpartner",
            "kontaktperson",
            "kontakt",
            "personnedecontact",
            "interlocuteur",
            "contactpersoon",
            "personadecontacto",
            "contacto",
            "referente",
            "personadicontatto",
            "contatto",
            "primarycontact",
        ],
    ),
    (
        FIRST_NAME,
        &[
            "firstname",
            "contactfirstname",
            "givenname",
            "vorname",
            "prenom",
            "voornaam",
            "nombredepila",
        ],
    ),
    (
        LAST_NAME,
        &[
            "lastname",
            "contactlastname",
            "surname",
            "familyname",
            "nachname",
            "familienname",
            "nomdefamille",
            "achternaam",
            "apellido",
            "apellidos",
            "cognome",
        ],
    ),
    (
        "email",
        &[
            "email",
            "emailaddress",
            "contactemail",
            "clientemail",
            "billingemail",
            "invoiceemail",
            "mail",
            "emailadresse",
            "courriel",
            "adresseemail",
            "adressemail",
            "emailadres",
            "correo",
            "correoelectronico",
            "postaelettronica",
            "indirizzoemail",
        ],
    ),
    (
        "phone",
        &[
            "phone",
            "phonenumber",
            "phonenumbers",
            "telephone",
            "tel",
            "clientphone",
            "contactphone",
            "billingphone",
            "telefon",
            "telefonnummer",
            "numerodetelephone",
            "telefoon",
            "telefoonnummer",
            "telefono",
            "numerodetelefono",
            "mobile",
            "mobilenumber",
            "mobil",
            "handy",
            "cellulare",
        ],
    ),
    (
        "address_line1",
        &[
            "addressline1",
            "address1",
            "address",
            "street",
            "streetaddress",
            "street1",
            "billingaddress",
            "billingstreet",
            "billingaddressline1",
            "clientaddress1",
            "clientstreet",
            "billingstreet1",
            "billaddress",
            "poaddressline1",
            "saaddressline1",
            "addressstreet1",
            "billingaddressstreet1",
            "strasse",
            "strasseundhausnummer",
            "anschrift",
            "adresse",
            "adresse1",
            "rue",
            "adres",
            "straat",
            "straatenhuisnummer",
            "direccion",
            "calle",
            "domicilio",
            "indirizzo",
            "via",
        ],
    ),
    (
        "address_line2",
        &[
            "addressline2",
            "address2",
            "street2",
            "streetaddress2",
            "billingaddressline2",
            "clientaddress2",
            "aptsuite",
            "clientaptsuite",
            "billingstreet2",
            "poaddressline2",
            "saaddressline2",
            "addressstreet2",
            "billingaddressstreet2",
            "adresszusatz",
            "adresse2",
            "complementdadresse",
            "adres2",
            "direccion2",
            "indirizzo2",
        ],
    ),
    (
        "postal_code",
        &[
            "postalcode",
            "postcode",
            "zip",
            "zipcode",
            "postal",
            "clientpostalcode",
            "popostalcode",
            "sapostalcode",
            "billingzip",
            "billingpostalcode",
            "billingzipcode",
            "plz",
            "postleitzahl",
            "codepostal",
            "cp",
            "codigopostal",
            "cap",
        ],
    ),
    (
        "city",
        &[
            "city",
            "town",
            "clientcity",
            "pocity",
            "sacity",
            "billingcity",
            "ort",
            "stadt",
            "ville",
            "plaats",
            "woonplaats",
            "ciudad",
            "localidad",
            "poblacion",
            "citta",
            "comune",
            "localita",
        ],
    ),
    (
        "country",
        &[
            "country",
            "clientcountry",
            "pocountry",
            "sacountry",
            "countryregion",
            "billingcountry",
            "countrycode",
            "land",
            "staat",
            "pays",
            "pais",
            "paese",
            "nazione",
        ],
    ),
    (
        "vat_id",
        &[
            "vatid",
            "vatnumber",
            "vat",
            "vatno",
            "vatregistrationnumber",
            "vatregno",
            "clientvatnumber",
            "taxnumber",
            "euvatnumber",
            "ustidnr",
            "ustid",
            "ustidnummer",
            "umsatzsteueridentifikationsnummer",
            "uid",
            "uidnummer",
            "numerodetva",
            "tva",
            "notva",
            "ntva",
            "numtva",
            "tvaintracommunautaire",
            "ntvaintracommunautaire",
            "nif",
            "cif",
            "nifcif",
            "numerodetvaintracommunautaire",
            "btwnummer",
            "btwnr",
            "btw",
            "btwid",
            "btwidentificatienummer",
            "nifiva",
            "numeroiva",
            "partitaiva",
            "piva",
        ],
    ),
    (
        "tax_id",
        &[
            "taxid",
            "taxidnumber",
            "taxidentificationnumber",
            "ein",
            "abn",
            "steuernummer",
            "stnr",
            "siret",
            "siren",
            "kvknummer",
            "kvk",
            "codicefiscale",
        ],
    ),
    (
        "currency",
        &[
            "currency",
            "clientcurrency",
            "currencycode",
            "defaultcurrency",
            "wahrung",
            "devise",
            "valuta",
            "moneda",
            "divisa",
        ],
    ),
    (
        "payment_terms_days",
        &[
            "paymenttermsdays",
            "paymentterms",
            "clientpaymentterms",
            "zahlungsziel",
            "zahlungszieltage",
            "delaidepaiement",
            "betalingstermijn",
            "plazodepago",
            "terminidipagamento",
        ],
    ),
    (
        "language",
        &[
            "language",
            "clientlanguage",
            "sprache",
            "langue",
            "taal",
            "idioma",
            "lingua",
        ],
    ),
    (
        "notes",
        &[
            "notes",
            "note",
            "comments",
            "comment",
            "clientpublicnotes",
            "clientprivatenotes",
            "publicnotes",
            "privatenotes",
            "notiz",
            "notizen",
            "bemerkung",
            "bemerkungen",
            "remarques",
            "commentaires",
            "notities",
            "opmerkingen",
            "notas",
            "observaciones",
            "annotazioni",
        ],
    ),
    ("status", &["status"]),
    ("tax_treatment", &["taxtreatment"]),
    ("exemption_reason", &["exemptionreason"]),
    ("buyer_reference", &["buyerreference", "leitwegid"]),
    ("peppol_id", &["peppolid", "peppol", "peppolparticipantid"]),
    (
        "tenant_id",
        &[
            "tenantid",
            "microsofttenantid",
            "mstenantid",
            "directoryid",
            "entratenantid",
        ],
    ),
    (
        "tenant_domain",
        &[
            "tenantdomain",
            "microsoftdomain",
            "onmicrosoftdomain",
            "mstenantdomain",
        ],
    ),
    ("mail_platform", &["mailplatform"]),
    ("mailboxes", &["mailboxes"]),
    ("shared_mailboxes", &["sharedmailboxes"]),
    ("pcs", &["pcs"]),
    ("phones", &["phones"]),
    ("sites", &["sites"]),
    ("mailbox_gb", &["mailboxgb"]),
    ("archive_gb", &["archivegb"]),
    ("public_folder_gb", &["publicfoldergb"]),
    ("file_gb", &["filegb"]),
];

const OPEN_INVOICE_ALIASES: &[(&str, &[&str])] = &[
    (
        "number",
        &[
            "number",
            "invoicenumber",
            "invoiceinvoicenumber",
            "invoiceno",
            "invoicenr",
            "invoice",
            "no",
            "nr",
            "num",
            "docnumber",
            "rechnungsnummer",
            "rechnungsnr",
            "belegnummer",
            "numerodefacture",
            "facture",
            "nfacture",
            "factuurnummer",
            "factuurnr",
            "numerodefactura",
            "factura",
            "numerofattura",
            "fattura",
        ],
    ),
    (
        "customer",
        &[
            "customer",
            "customername",
            "client",
            "clientname",
            "contactname",
            "contact",
            "company",
            "companyname",
            "name",
            "kunde",
            "kundenname",
            "firma",
            "nomduclient",
            "klant",
            "klantnaam",
            "cliente",
            "nombredelcliente",
            "customernumber",
            "clientnumber",
            "accountnumber",
            "kundennummer",
        ],
    ),
    (
        "issue_date",
        &[
            "invoicedate",
            "date",
            "issuedate",
            "dateofissue",
            "transactiondate",
            "rechnungsdatum",
            "datum",
            "belegdatum",
            "datedefacture",
            "datefacture",
            "date",
            "factuurdatum",
            "fechadefactura",
            "fechafactura",
            "fecha",
            "datafattura",
            "data",
        ],
    ),
    (
        "due_date",
        &[
            "duedate",
            "invoiceduedate",
            "due",
            "paymentdue",
            "falligkeit",
            "falligam",
            "falligkeitsdatum",
            "zahlbarbis",
            "datedecheance",
            "echeance",
            "vervaldatum",
            "fechadevencimiento",
            "fechavencimiento",
            "vencimiento",
            "datascadenza",
            "scadenza",
        ],
    ),
    (
        "currency",
        &[
            "currency",
            "currencycode",
            "clientcurrency",
            "wahrung",
            "devise",
            "valuta",
            "moneda",
            "divisa",
        ],
    ),
    (
        "total",
        &[
            "total",
            "amount",
            "invoiceamount",
            "invoicetotal",
            "totalamount",
            "grandtotal",
            "gesamt",
            "gesamtbetrag",
            "betrag",
            "bruttobetrag",
            "rechnungsbetrag",
            "montant",
            "montantttc",
            "totalttc",
            "totaal",
            "bedrag",
            "totaalbedrag",
            "importe",
            "importetotal",
            "importo",
            "totale",
            "importototale",
        ],
    ),
    (
        "open_amount",
        &[
            "openamount",
            "open",
            "openbalance",
            "balance",
            "balancedue",
            "amountdue",
            "dueamount",
            "invoicebalance",
            "invoiceamountdue",
            "invoicebalance",
            "outstanding",
            "amountoutstanding",
            "offen",
            "offenerbetrag",
            "restbetrag",
            "saldo",
            "montantdu",
            "resteapayer",
            "soldedu",
            "openstaand",
            "openstaandbedrag",
            "pendiente",
            "importependiente",
            "residuo",
            "daincassare",
        ],
    ),
    (
        "paid",
        &[
            "paid",
            "amountpaid",
            "invoiceamountpaid",
            "invoicepaidtodate",
            "paidtodate",
            "bezahlt",
            "gezahlt",
            "paye",
            "montantpaye",
            "betaald",
            "pagado",
            "pagato",
        ],
    ),
];

const SUBSCRIPTION_ALIASES: &[(&str, &[&str])] = &[
    (
        "customer",
        &[
            "customer",
            "customername",
            "client",
            "clientname",
            "contactname",
            "company",
            "companyname",
            "kunde",
            "kundenname",
            "firma",
            "klant",
            "cliente",
            "customernumber",
            "clientnumber",
            "accountnumber",
            "kundennummer",
        ],
    ),
    (
        "description",
        &[
            "description",
            "product",
            "productname",
            "item",
            "itemname",
            "service",
            "plan",
            "sku",
            "beschreibung",
            "bezeichnung",
            "artikel",
            "produkt",
            "leistung",
            "designation",
            "libelle",
            "produit",
            "omschrijving",
            "descripcion",
            "producto",
            "descrizione",
            "prodotto",
            "recurringinvoiceinvoicenumber",
        ],
    ),
    (
        "quantity",
        &[
            "quantity", "qty", "seats", "licenses", "licences", "users", "menge", "anzahl",
            "quantite", "aantal", "cantidad", "quantita",
        ],
    ),
    (
        "unit",
        &["unit", "einheit", "unite", "eenheid", "unidad", "unita"],
    ),
    (
        "unit_price",
        &[
            "unitprice",
            "price",
            "rate",
            "unitamount",
            "recurringinvoiceamount",
            "einzelpreis",
            "preis",
            "prixunitaire",
            "prix",
            "stukprijs",
            "prijs",
            "preciounitario",
            "precio",
            "prezzounitario",
            "prezzo",
        ],
    ),
    (
        "unit_cost",
        &[
            "unitcost",
            "cost",
            "costprice",
            "einkaufspreis",
            "kosten",
            "cout",
            "kostprijs",
            "coste",
            "costo",
        ],
    ),
    (
        "discount_percent",
        &[
            "discountpercent",
            "discount",
            "rabatt",
            "remise",
            "korting",
            "descuento",
            "sconto",
        ],
    ),
    (
        "tax_rate_percent",
        &[
            "taxratepercent",
            "taxrate",
            "tax",
            "vatrate",
            "steuersatz",
            "mwst",
            "ust",
            "tauxdetva",
            "btwtarief",
            "iva",
            "tipoiva",
            "aliquotaiva",
        ],
    ),
    (
        "interval",
        &[
            "interval",
            "frequency",
            "recurringinvoicehowoften",
            "howoften",
            "billingfrequency",
            "billingcycle",
            "billingperiod",
            "intervall",
            "abrechnungsintervall",
            "periodicite",
            "frequentie",
            "periodicidad",
            "frequenza",
            "periodicita",
        ],
    ),
    (
        "start_date",
        &[
            "startdate",
            "start",
            "begin",
            "recurringinvoicedate",
            "startdatum",
            "beginn",
            "datededebut",
            "debut",
            "ingangsdatum",
            "fechadeinicio",
            "inicio",
            "datadiinizio",
            "inizio",
        ],
    ),
    (
        "end_date",
        &[
            "enddate",
            "end",
            "enddatum",
            "ende",
            "datedefin",
            "fin",
            "einddatum",
            "fechadefin",
            "datadifine",
            "fine",
        ],
    ),
    (
        "next_month",
        &[
            "nextmonth",
            "nextmonthtobill",
            "nextbilling",
            "nextbillingdate",
            "nextinvoicedate",
            "recurringinvoicenextsenddate",
            "nextsenddate",
            "nextrun",
            "nextdate",
            "nachsterechnung",
            "nachsteabrechnung",
            "prochainefacture",
            "volgendefactuur",
            "proximafactura",
            "prossimafattura",
        ],
    ),
    (
        "term",
        &[
            "term",
            "termduration",
            "commitment",
            "commitmentterm",
            "laufzeit",
            "msterm",
        ],
    ),
    (
        "billing",
        &[
            "billingplan",
            "msbilling",
            "microsoftbilling",
            "commitmentbilling",
        ],
    ),
    (
        "ms_subscription_id",
        &[
            "mssubscriptionid",
            "microsoftsubscriptionid",
            "subscriptionid",
            "vendorsubscriptionid",
        ],
    ),
    (
        "ms_product_id",
        &["msproductid", "productid", "microsoftproductid"],
    ),
    ("ms_sku_id", &["msskuid", "skuid", "microsoftskuid"]),
];

// The distributor's bill. Microsoft Partner Center's new-commerce invoice reconciliation file
// ("modern invoice reconciliation file", learn.microsoft.com/partner-center/billing/
// modern-invoice-reconciliation-file, checked 2026-11-28): PartnerId, CustomerId (the
// customer's Entra tenant id), CustomerName, CustomerDomainName, CustomerCountry,
// InvoiceNumber, MpnId, ResellerMpnId, OrderId, OrderDate, ProductId, SkuId, AvailabilityId,
// SkuName, ProductName, ChargeType, UnitPrice, Quantity, Subtotal, TaxTotal, Total, Currency,
// PriceAdjustmentDescription, PublisherName, PublisherId, SubscriptionDescription,
// SubscriptionId, ChargeStartDate, ChargeEndDate, TermAndBillingCycle, EffectiveUnitPrice,
// UnitType, AlternateId, BillableQuantity ("use BillableQuantity for reconciliation"),
// BillingFrequency, PricingCurrency, PCToBCExchangeRate, PCToBCExchangeRateDate,
// MeterDescription, ReservationOrderId, CreditReasonCode, SubscriptionStartDate,
// SubscriptionEndDate, ReferenceId, ProductQualifiers, PromotionId. Distributors' exports
// name the same things in their own words; those go through a saved mapping.
const BILL_ALIASES: &[(&str, &[&str])] = &[
    (
        "ms_subscription_id",
        &[
            "subscriptionid",
            "microsoftsubscriptionid",
            "mssubscriptionid",
            "vendorsubscriptionid",
        ],
    ),
    (
        "tenant_id",
        &[
            "customerid",
            "tenant",
            "tenantid",
            "customertenantid",
            "microsofttenantid",
            "mstenantid",
        ],
    ),
    (
        "tenant_domain",
        &[
            "customerdomainname",
            "customerdomain",
            "tenantdomain",
            "domain",
            "microsoftdomain",
        ],
    ),
    (
        "customer_name",
        &[
            "customername",
            "customer",
            "companyname",
            "endcustomer",
            "clientname",
            "client",
            "kunde",
            "kundenname",
            "klant",
            "cliente",
        ],
    ),
    (
        "product_id",
        &["productid", "msproductid", "vendorproductid", "produktid"],
    ),
    ("sku_id", &["skuid", "msskuid", "vendorskuid"]),
    (
        "sku_name",
        &[
            "skuname",
            "productname",
            "product",
            "offername",
            "sku",
            "description",
            "item",
        ],
    ),
    (
        "charge_type",
        &["chargetype", "transactiontype", "changetype"],
    ),
    (
        "unit_price",
        &[
            "unitprice",
            "einzelpreis",
            "preis",
            "unitcost",
            "costprice",
            "partnerprice",
            "buyprice",
            "cost",
            "price",
        ],
    ),
    (
        "quantity",
        &[
            "billablequantity",
            "anzahl",
            "menge",
            "lizenzen",
            "quantity",
            "qty",
            "seats",
            "licenses",
            "licences",
            "units",
        ],
    ),
    (
        "subtotal",
        &[
            "subtotal",
            "amount",
            "netamount",
            "lineamount",
            "linetotal",
            "extendedprice",
            "total",
        ],
    ),
    ("currency", &["currency", "currencycode"]),
    (
        "charge_start",
        &[
            "chargestartdate",
            "chargestart",
            "periodstart",
            "servicestart",
            "startdate",
            "from",
        ],
    ),
    (
        "charge_end",
        &[
            "chargeenddate",
            "chargeend",
            "periodend",
            "serviceend",
            "enddate",
            "to",
        ],
    ),
    (
        "billing_frequency",
        &["billingfrequency", "billingplan", "billingcycle"],
    ),
];

// Microsoft's new-commerce license-based price list (Partner Center › Pricing › "New
// commerce price list", learn.microsoft.com/partner-center/pricing/pricing-and-offers,
// checked 2026-11-28): ProductTitle, ProductId, SkuId, SkuTitle, Publisher, SkuDescription,
// UnitOfMeasure, TermDuration (P1Y/P1M), BillingPlan (Annual/Monthly; "None" for trials),
// Market, Currency, UnitPrice, PricingTierRangeMin, PricingTierRangeMax, EffectiveStartDate,
// EffectiveEndDate, EndofSaleDate (preview lists only), Tags ("License; Trial"), ERP Price.
const PRICE_LIST_ALIASES: &[(&str, &[&str])] = &[
    (
        "product_id",
        &["productid", "msproductid", "offerid", "produktid"],
    ),
    ("sku_id", &["skuid", "msskuid"]),
    ("product_title", &["producttitle", "productname", "product"]),
    ("sku_title", &["skutitle", "skuname", "sku", "offername"]),
    (
        "term",
        &[
            "termduration",
            "term",
            "commitment",
            "commitmentterm",
            "laufzeit",
        ],
    ),
    (
        "billing",
        &["billingplan", "billingfrequency", "billingcycle", "billing"],
    ),
    ("market", &["market", "country", "region"]),
    ("currency", &["currency", "currencycode"]),
    (
        "unit_price",
        &[
            "unitprice",
            "cost",
            "costprice",
            "partnerprice",
            "buyprice",
            "einkaufspreis",
        ],
    ),
    (
        "erp_price",
        &[
            "erpprice",
            "erp",
            "msrp",
            "retailprice",
            "listprice",
            "suggestedretailprice",
        ],
    ),
    ("tier_min", &["pricingtierrangemin", "tiermin"]),
    (
        "effective_start",
        &["effectivestartdate", "validfrom", "startdate"],
    ),
    (
        "effective_end",
        &["effectiveenddate", "validto", "validuntil", "enddate"],
    ),
    ("tags", &["tags"]),
];

/// How headers and aliases are compared: folded, letters and digits only.
pub fn key(header: &str) -> String {
    fold(header)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// The field a header maps to by the alias table, if any.
fn alias_of(kind: ImportKind, header: &str) -> Option<&'static str> {
    let k = key(header);
    if k.is_empty() {
        return None;
    }
    kind.aliases()
        .iter()
        .find(|(_, aliases)| aliases.contains(&k.as_str()))
        .map(|(field, _)| *field)
}

/// The automatic mapping: each header to its alias's field, each field taken by the first
/// column naming it (Xero's street address after its postal one is left out). A file that
/// names the customer only as `ContactName` beside first and last names (Xero's contacts)
/// has that column as the customer's name.
pub fn auto_map(kind: ImportKind, headers: &[String]) -> Vec<Option<&'static str>> {
    let mut taken: Vec<&'static str> = Vec::new();
    let mut out: Vec<Option<&'static str>> = headers
        .iter()
        .map(|h| match alias_of(kind, h) {
            Some(field) if !taken.contains(&field) => {
                taken.push(field);
                Some(field)
            }
            _ => None,
        })
        .collect();
    // Partner Center's bill has Quantity ("units bought") before BillableQuantity, the one
    // to reconcile with.
    if kind == ImportKind::Reconciliation {
        if let Some(billable) = headers.iter().position(|h| key(h) == "billablequantity") {
            for (i, m) in out.iter_mut().enumerate() {
                if i == billable {
                    *m = Some("quantity");
                } else if *m == Some("quantity") {
                    *m = None;
                }
            }
        }
    }
    if kind == ImportKind::Customers
        && !taken.contains(&"name")
        && taken.contains(&FIRST_NAME)
        && taken.contains(&LAST_NAME)
    {
        if let Some(slot) = out.iter_mut().find(|m| **m == Some("contact_name")) {
            *slot = Some("name");
        }
    }
    out
}

/// The user's choices: header → field name, or `None` for "not imported".
pub type Choices = BTreeMap<String, Option<String>>;

/// The mapping to import with: the automatic one with the user's choices over it, checked.
/// Every chosen field must exist, no field may take two columns, every required field needs
/// a column. Choices naming a header the file lacks are refused too (a typo would otherwise
/// silently map nothing).
pub fn resolve(
    kind: ImportKind,
    headers: &[String],
    choices: &Choices,
) -> Result<Vec<Option<&'static str>>, CoreError> {
    let mapping = choose(kind, headers, choices)?;
    check(kind, headers, &mapping)?;
    Ok(mapping)
}

/// The automatic mapping with the user's choices over it, not yet checked for doubled or
/// missing fields (the preview shows it, and what is wrong with it, so it can be fixed).
pub fn choose(
    kind: ImportKind,
    headers: &[String],
    choices: &Choices,
) -> Result<Vec<Option<&'static str>>, CoreError> {
    let mut mapping = auto_map(kind, headers);
    for (header, choice) in choices {
        let positions: Vec<usize> = headers
            .iter()
            .enumerate()
            .filter(|(_, h)| h.trim() == header.trim())
            .map(|(i, _)| i)
            .collect();
        let Some(&at) = positions.first() else {
            return Err(CoreError::validation(
                "mapping",
                format!(
                    "The file has no column \"{header}\"; its columns are {}.",
                    quoted_list(headers)
                ),
            ));
        };
        let field = match choice.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(name) => Some(kind.field(name).map(|f| f.name).ok_or_else(|| {
                CoreError::validation(
                    "mapping",
                    format!(
                        "\"{name}\" is not a field to import into; choose one of {}.",
                        kind.fields()
                            .iter()
                            .map(|f| f.name)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            })?),
        };
        // A field chosen for this column leaves the column that had it automatically.
        if let Some(name) = field {
            for (i, m) in mapping.iter_mut().enumerate() {
                if *m == Some(name) && i != at && !choices.contains_key(headers[i].trim()) {
                    *m = None;
                }
            }
        }
        mapping[at] = field;
    }
    Ok(mapping)
}

/// Refuses two columns on one field and a required field without a column.
pub fn check(
    kind: ImportKind,
    headers: &[String],
    mapping: &[Option<&'static str>],
) -> Result<(), CoreError> {
    for (i, field) in mapping.iter().enumerate() {
        let Some(field) = field else { continue };
        if let Some(j) = mapping[i + 1..].iter().position(|m| m == &Some(*field)) {
            return Err(CoreError::validation(
                "mapping",
                format!(
                    "The columns \"{}\" and \"{}\" are both mapped to {}: map one of them to \
                     something else or to nothing.",
                    headers[i].trim(),
                    headers[i + 1 + j].trim(),
                    label(kind, field)
                ),
            ));
        }
    }
    // A list of people (HubSpot's contacts): first and last name make the customer's name.
    let person = kind == ImportKind::Customers
        && mapping.contains(&Some(FIRST_NAME))
        && mapping.contains(&Some(LAST_NAME));
    for required in kind.fields().iter().filter(|f| f.required) {
        let made_of_names = person && required.name == "name";
        if !(mapping.contains(&Some(required.name)) || made_of_names) {
            return Err(CoreError::validation(
                "mapping",
                format!(
                    "No column is mapped to {} (required): choose the column that holds it.",
                    label(kind, required.name)
                ),
            ));
        }
    }
    Ok(())
}

fn label(kind: ImportKind, field: &str) -> String {
    kind.field(field)
        .map_or(field.to_string(), |f| format!("\"{}\"", f.label))
}

fn quoted_list(headers: &[String]) -> String {
    headers
        .iter()
        .map(|h| format!("\"{}\"", h.trim()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// How an import is to be mapped: a saved mapping by name (else the one saved for this
/// header line, else automatic), the user's choices over it, and optionally a name to save
/// the result under.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, specta::Type)]
#[serde(default)]
pub struct MappingRequest {
    pub saved: Option<String>,
    pub choices: Choices,
    pub save_as: Option<String>,
}

/// A row the import refuses: its physical line, the field (or `duplicate_name`…) and why.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct ImportRowError {
    pub line: u64,
    pub code: String,
    pub reason: String,
}

/// What every import's preview says: rows, valid rows, row errors (the first 100 listed),
/// the mapping and what is wrong with it, the columns left out.
#[derive(Debug, Clone, PartialEq, Serialize, Default, specta::Type)]
pub struct ImportSummary {
    pub rows: u32,
    pub valid: u32,
    /// The first 100 row errors, in file order.
    pub errors: Vec<ImportRowError>,
    /// How many more row errors there are beyond those listed.
    pub errors_not_shown: u32,
    pub ignored_columns: Vec<String>,
    /// Each column of the file and the field it is imported into.
    pub mapping: Vec<MappedColumn>,
    /// The saved mapping used, if one was.
    pub mapping_name: Option<String>,
    /// Why the mapping cannot be imported as it stands (a field twice, a required one
    /// missing); nothing is imported until it is fixed.
    pub mapping_error: Option<String>,
}

impl ImportSummary {
    /// Every row error, listed or not.
    pub fn error_count(&self) -> usize {
        self.errors.len() + self.errors_not_shown as usize
    }

    pub fn fail(&mut self, line: u64, code: &str, reason: String) {
        self.errors.push(ImportRowError {
            line,
            code: code.into(),
            reason,
        });
    }

    /// After the last row: the count of valid rows; errors beyond the first 100 counted.
    pub fn finish(&mut self, valid: usize) {
        self.valid = valid as u32;
        if self.errors.len() > crate::textfile::MAX_LISTED_ERRORS {
            self.errors_not_shown = self
                .errors
                .split_off(crate::textfile::MAX_LISTED_ERRORS)
                .len() as u32;
        }
    }
}

/// A CSV file read for an import (§8's reading rules, §11's mapping): its rows, the field
/// of each column, and what the preview shows of the mapping.
pub struct Mapped {
    pub table: crate::textfile::Table,
    pub columns: Vec<Option<&'static str>>,
    pub ignored_columns: Vec<String>,
    pub shown: Vec<MappedColumn>,
    /// Why the mapping cannot be imported as it stands; no row is read until it can.
    pub error: Option<String>,
}

/// Reads `bytes` (size and row limits, encoding, separator) and maps its columns for `kind`
/// with the user's `choices`. A column named `reserved` (VarDesk's own `archived`) is read
/// by the caller, never mapped or listed as ignored.
pub fn read(
    bytes: &[u8],
    kind: ImportKind,
    choices: &Choices,
    reserved: Option<&str>,
) -> Result<Mapped, CoreError> {
    use crate::textfile;
    textfile::check_import_size(bytes)?;
    let table = textfile::parse_table(&textfile::decode(bytes), None)?;
    textfile::check_import_rows(table.records.len())?;
    let reserved_at = reserved.and_then(|r| table.header.iter().position(|h| key(h) == key(r)));
    let mut columns = choose(kind, &table.header, choices)?;
    if let Some(i) = reserved_at {
        columns[i] = None;
    }
    let error = check(kind, &table.header, &columns)
        .err()
        .map(|e| e.message);
    let ignored_columns = table
        .header
        .iter()
        .zip(&columns)
        .enumerate()
        .filter(|(i, (h, m))| m.is_none() && Some(*i) != reserved_at && !h.trim().is_empty())
        .map(|(_, (h, _))| h.trim().to_string())
        .collect();
    let shown = shown(
        &table.header,
        &columns,
        table.records.first().map(|r| r.fields.as_slice()),
    );
    Ok(Mapped {
        table,
        columns,
        ignored_columns,
        shown,
        error,
    })
}

impl Mapped {
    /// The preview's summary before any row is read.
    pub fn summary(&self) -> ImportSummary {
        ImportSummary {
            rows: self.table.records.len() as u32,
            ignored_columns: self.ignored_columns.clone(),
            mapping: self.shown.clone(),
            mapping_error: self.error.clone(),
            ..Default::default()
        }
    }

    /// The trimmed text of `record`'s cell for `field` (empty when no column has it).
    pub fn cell(&self, record: &crate::textfile::Record, field: &str) -> String {
        self.columns
            .iter()
            .position(|c| *c == Some(field))
            .and_then(|i| record.fields.get(i))
            .map(|v| crate::textfile::csv_text_value(v).trim().to_string())
            .unwrap_or_default()
    }
}

/// The mapping as the preview shows it: each header with its field (`None`: ignored).
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct MappedColumn {
    pub header: String,
    pub field: Option<&'static str>,
    /// The first row's cell, so the user sees what the column holds.
    pub sample: String,
}

fn shown(
    headers: &[String],
    mapping: &[Option<&'static str>],
    first_row: Option<&[String]>,
) -> Vec<MappedColumn> {
    headers
        .iter()
        .zip(mapping)
        .enumerate()
        .map(|(i, (h, m))| MappedColumn {
            header: h.trim().to_string(),
            field: *m,
            sample: first_row
                .and_then(|r| r.get(i))
                .map(|c| c.chars().take(60).collect())
                .unwrap_or_default(),
        })
        .collect()
}

/// The key a saved mapping is offered again under: the file's header line, compared as
/// headers are.
pub fn header_line_key(headers: &[String]) -> String {
    headers.iter().map(|h| key(h)).collect::<Vec<_>>().join("|")
}

/// A cell as VarDesk reads it for `field`, where other tools write it their way: a country
/// name for its code, "Net 30" or "30 Tage" for 30 days, "Euro" or "€" for EUR. Anything
/// else is left exactly as it is, for the field's own check to accept or name.
pub fn normalize(field: &str, value: &str) -> String {
    let t = value.trim();
    match field {
        "country" => country_code(t).map_or_else(|| t.to_string(), str::to_string),
        "payment_terms_days" => {
            let runs: Vec<&str> = t
                .split(|c: char| !c.is_ascii_digit())
                .filter(|r| !r.is_empty())
                .collect();
            let wordy = t.chars().all(|c| c.is_alphanumeric() || c.is_whitespace());
            match runs[..] {
                [days] if wordy => days.to_string(),
                _ => t.to_string(),
            }
        }
        "currency" => currency_code(t).unwrap_or_else(|| t.to_string()),
        // Text stays exactly as written (an export read back is the same customer).
        _ => value.to_string(),
    }
}

fn currency_code(text: &str) -> Option<String> {
    let k = key(text);
    const NAMES: &[(&str, &[&str])] = &[
        ("EUR", &["eur", "euro", "euros", "€"]),
        (
            "USD",
            &[
                "usd",
                "usdollar",
                "dollar",
                "$",
                "us$",
                "unitedstatesdollar",
            ],
        ),
        (
            "GBP",
            &["gbp", "poundsterling", "britishpound", "pound", "£"],
        ),
        (
            "CHF",
            &[
                "chf",
                "swissfranc",
                "schweizerfranken",
                "franken",
                "francsuisse",
            ],
        ),
        (
            "SEK",
            &[
                "sek",
                "swedishkrona",
                "schwedischekrone",
                "kronasvensk",
                "svenskkrona",
            ],
        ),
        (
            "DKK",
            &["dkk", "danishkrone", "danskkrone", "danischekrone"],
        ),
        ("NOK", &["nok", "norwegiankrone", "norskkrone"]),
        ("ISK", &["isk", "icelandickrona", "islenskkrona"]),
        ("PLN", &["pln", "polishzloty", "zloty", "zlotypolski", "zl"]),
        ("CZK", &["czk", "czechkoruna", "korunaceska"]),
        ("HUF", &["huf", "hungarianforint", "forint"]),
        ("CAD", &["cad", "canadiandollar", "ca$"]),
        ("AUD", &["aud", "australiandollar", "a$"]),
        ("NZD", &["nzd", "newzealanddollar"]),
        ("JPY", &["jpy", "japaneseyen", "yen", "¥"]),
    ];
    // Symbols fold to nothing: match them as typed.
    NAMES
        .iter()
        .find(|(_, names)| names.contains(&k.as_str()) || names.contains(&text))
        .map(|(code, _)| code.to_string())
        .or_else(|| {
            (text.len() == 3 && text.chars().all(|c| c.is_ascii_alphabetic()))
                .then(|| text.to_ascii_uppercase())
        })
}

/// Where a tax number from another tool belongs (§11, §9): an EU VAT ID stays a VAT ID; a
/// number without its country's prefix gets it when that makes a valid VAT ID of the
/// customer's member state (`129273398` in Germany is `DE129273398`); anything else (a UK or
/// Swiss VAT number, a US EIN) is the customer's other tax number, printed as it is.
/// Returns (VAT ID, other tax number).
pub fn place_tax_number(number: &str, country: &str) -> (String, String) {
    let t = number.trim();
    if t.is_empty() || crate::vat::has_member_state_prefix(t) {
        return (t.to_string(), String::new());
    }
    let prefix = match country.trim().to_ascii_uppercase().as_str() {
        "GR" => "EL".to_string(),
        c => c.to_string(),
    };
    let prefixed = format!("{prefix}{t}");
    if crate::vat::check_vat_id(&prefixed).is_ok() {
        return (prefixed, String::new());
    }
    (String::new(), t.to_string())
}

/// A country as partners' files write it: an ISO 3166-1 alpha-2 code (any case), or the
/// country's name in English or in its own or a neighbour's language ("Deutschland",
/// "Österreich", "United Kingdom", "Pays-Bas"). `None` when it is neither.
pub fn country_code(text: &str) -> Option<&'static str> {
    let t = text.trim();
    if t.len() == 2 {
        let upper = t.to_ascii_uppercase();
        if let Some(code) = crate::customer::country_code_of(&upper) {
            return Some(code);
        }
    }
    let k = key(t);
    COUNTRY_NAMES
        .iter()
        .find(|(_, names)| names.contains(&k.as_str()))
        .map(|(code, _)| *code)
}

// Names folded like `key()`; English, the local language(s), and German, French, Dutch,
// Spanish and Italian where they differ.
const COUNTRY_NAMES: &[(&str, &[&str])] = &[
    (
        "DE",
        &[
            "germany",
            "deutschland",
            "allemagne",
            "duitsland",
            "alemania",
            "germania",
            "federalrepublicofgermany",
            "bundesrepublikdeutschland",
        ],
    ),
    ("AT", &["austria", "osterreich", "autriche", "oostenrijk"]),
    (
        "CH",
        &[
            "switzerland",
            "schweiz",
            "suisse",
            "svizzera",
            "zwitserland",
            "suiza",
            "confoederatiohelvetica",
        ],
    ),
    ("LI", &["liechtenstein"]),
    ("FR", &["france", "frankreich", "frankrijk", "francia"]),
    ("MC", &["monaco"]),
    (
        "NL",
        &[
            "netherlands",
            "thenetherlands",
            "holland",
            "nederland",
            "niederlande",
            "paysbas",
            "paisesbajos",
            "paesibassi",
        ],
    ),
    (
        "BE",
        &[
            "belgium", "belgie", "belgique", "belgien", "belgica", "belgio",
        ],
    ),
    (
        "LU",
        &["luxembourg", "luxemburg", "lussemburgo", "luxemburgo"],
    ),
    ("IT", &["italy", "italia", "italien", "italie"]),
    (
        "ES",
        &["spain", "espana", "spanien", "espagne", "spanje", "spagna"],
    ),
    ("PT", &["portugal", "portogallo"]),
    (
        "GB",
        &[
            "unitedkingdom",
            "uk",
            "greatbritain",
            "britain",
            "england",
            "scotland",
            "wales",
            "northernireland",
            "vereinigteskonigreich",
            "grossbritannien",
            "royaumeuni",
            "verenigdkoninkrijk",
            "reinounido",
            "regnounito",
        ],
    ),
    (
        "IE",
        &["ireland", "eire", "irland", "irlande", "ierland", "irlanda"],
    ),
    (
        "DK",
        &[
            "denmark",
            "danmark",
            "danemark",
            "denemarken",
            "dinamarca",
            "danimarca",
        ],
    ),
    (
        "SE",
        &[
            "sweden", "sverige", "schweden", "suede", "zweden", "suecia", "svezia",
        ],
    ),
    (
        "NO",
        &[
            "norway",
            "norge",
            "norwegen",
            "norvege",
            "noorwegen",
            "noruega",
            "norvegia",
        ],
    ),
    (
        "FI",
        &["finland", "suomi", "finnland", "finlande", "finlandia"],
    ),
    (
        "IS",
        &[
            "iceland", "island", "islande", "ijsland", "islandia", "islanda",
        ],
    ),
    ("PL", &["poland", "polska", "polen", "pologne", "polonia"]),
    (
        "CZ",
        &[
            "czechia",
            "czechrepublic",
            "cesko",
            "ceskarepublika",
            "tschechien",
            "republiquetcheque",
            "tsjechie",
            "chequia",
            "repubblicaceca",
        ],
    ),
    (
        "SK",
        &[
            "slovakia",
            "slovensko",
            "slowakei",
            "slovaquie",
            "slowakije",
            "eslovaquia",
            "slovacchia",
        ],
    ),
    (
        "HU",
        &[
            "hungary",
            "magyarorszag",
            "ungarn",
            "hongrie",
            "hongarije",
            "hungria",
            "ungheria",
        ],
    ),
    (
        "SI",
        &[
            "slovenia",
            "slovenija",
            "slowenien",
            "slovenie",
            "eslovenia",
        ],
    ),
    (
        "HR",
        &[
            "croatia", "hrvatska", "kroatien", "croatie", "kroatie", "croacia", "croazia",
        ],
    ),
    (
        "RO",
        &["romania", "rumanien", "roumanie", "roemenie", "rumania"],
    ),
    ("BG", &["bulgaria", "bulgarien", "bulgarie", "bulgarije"]),
    (
        "GR",
        &[
            "greece",
            "hellas",
            "griechenland",
            "grece",
            "griekenland",
            "grecia",
        ],
    ),
    ("CY", &["cyprus", "zypern", "chypre", "chipre", "cipro"]),
    ("MT", &["malta", "malte"]),
    ("EE", &["estonia", "eesti", "estland", "estonie"]),
    (
        "LV",
        &[
            "latvia", "latvija", "lettland", "lettonie", "letland", "letonia", "lettonia",
        ],
    ),
    (
        "LT",
        &[
            "lithuania",
            "lietuva",
            "litauen",
            "lituanie",
            "litouwen",
            "lituania",
        ],
    ),
    (
        "US",
        &[
            "unitedstates",
            "unitedstatesofamerica",
            "usa",
            "us",
            "america",
            "vereinigtestaaten",
            "etatsunis",
            "verenigdestaten",
            "estadosunidos",
            "statiuniti",
        ],
    ),
    ("CA", &["canada", "kanada"]),
    ("AU", &["australia", "australien", "australie"]),
    (
        "NZ",
        &[
            "newzealand",
            "neuseeland",
            "nouvellezelande",
            "nieuwzeeland",
            "nuevazelanda",
            "nuovazelanda",
        ],
    ),
    ("JP", &["japan", "japon", "giappone"]),
    ("CN", &["china", "chine", "cina"]),
    ("IN", &["india", "indien", "inde"]),
    ("SG", &["singapore", "singapur", "singapour"]),
    (
        "AE",
        &[
            "unitedarabemirates",
            "uae",
            "vereinigtearabischeemirate",
            "emiratsarabesunis",
        ],
    ),
    ("IL", &["israel"]),
    (
        "TR",
        &[
            "turkey", "turkiye", "turkei", "turquie", "turkije", "turquia", "turchia",
        ],
    ),
    (
        "BR",
        &[
            "brazil",
            "brasil",
            "brasilien",
            "bresil",
            "brazilie",
            "brasile",
        ],
    ),
    ("MX", &["mexico", "mexiko", "mexique", "messico"]),
    (
        "ZA",
        &[
            "southafrica",
            "sudafrika",
            "afriquedusud",
            "zuidafrika",
            "sudafrica",
        ],
    ),
    ("UA", &["ukraine", "ucrania", "ucraina", "oekraine"]),
    ("RS", &["serbia", "serbien", "serbie", "servie"]),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(line: &str) -> Vec<String> {
        line.split(',').map(str::to_string).collect()
    }

    fn mapped(kind: ImportKind, line: &str) -> Vec<Option<&'static str>> {
        auto_map(kind, &headers(line))
    }

    #[test]
    fn other_tools_exports_map_without_help() {
        let ninja = mapped(
            ImportKind::Customers,
            "Client Name,Client Address 1,Client City,Client Postal Code,Client Country,\
             Contact First Name,Contact Last Name,Contact Email,Client Vat Number",
        );
        assert_eq!(
            ninja,
            [
                Some("name"),
                Some("address_line1"),
                Some("city"),
                Some("postal_code"),
                Some("country"),
                Some(FIRST_NAME),
                Some(LAST_NAME),
                Some("email"),
                Some("vat_id")
            ]
        );
        let xero = mapped(
            ImportKind::Customers,
            "ContactName,EmailAddress,FirstName,LastName,POAddressLine1,POCity,POPostalCode,\
             POCountry,SAAddressLine1,SACity,TaxNumber",
        );
        assert_eq!(
            xero[0],
            Some("name"),
            "Xero's ContactName is the organisation"
        );
        assert_eq!(xero[4], Some("address_line1"));
        assert_eq!(
            xero[8], None,
            "the street address after the postal one is left out"
        );
        assert_eq!(xero[10], Some("vat_id"));
        let german = mapped(
            ImportKind::Customers,
            "Firma,Ansprechpartner,E-Mail,Straße,PLZ,Ort,Land,USt-IdNr.",
        );
        assert_eq!(
            german,
            [
                Some("name"),
                Some("contact_name"),
                Some("email"),
                Some("address_line1"),
                Some("postal_code"),
                Some("city"),
                Some("country"),
                Some("vat_id")
            ]
        );
        let french = mapped(
            ImportKind::Customers,
            "Société,Code postal,Ville,Pays,N° TVA",
        );
        assert_eq!(french[0], Some("name"));
        assert_eq!(french[1], Some("postal_code"));
        let dutch = mapped(
            ImportKind::Customers,
            "Bedrijfsnaam,Plaats,Postcode,BTW-nummer",
        );
        assert_eq!(
            dutch,
            [
                Some("name"),
                Some("city"),
                Some("postal_code"),
                Some("vat_id")
            ]
        );
    }

    #[test]
    fn hostile_mappings_are_refused_with_a_sentence() {
        let h = headers("Firma,Kunde,Ort");
        let mut choices = Choices::new();
        choices.insert("Kunde".into(), Some("name".into()));
        choices.insert("Firma".into(), Some("name".into()));
        let err = resolve(ImportKind::Customers, &h, &choices).unwrap_err();
        assert!(
            err.message.contains("both mapped to \"Customer name\""),
            "{}",
            err.message
        );

        let mut choices = Choices::new();
        choices.insert("Firma".into(), None);
        let err = resolve(ImportKind::Customers, &h, &choices).unwrap_err();
        assert!(
            err.message
                .contains("No column is mapped to \"Customer name\""),
            "{}",
            err.message
        );

        let mut choices = Choices::new();
        choices.insert("Fimra".into(), Some("city".into()));
        assert!(resolve(ImportKind::Customers, &h, &choices)
            .unwrap_err()
            .message
            .contains("no column \"Fimra\""));
        let mut choices = Choices::new();
        choices.insert("Ort".into(), Some("town".into()));
        assert!(resolve(ImportKind::Customers, &h, &choices)
            .unwrap_err()
            .message
            .contains("not a field"));
    }

    #[test]
    fn a_choice_moves_a_field_from_the_column_that_had_it() {
        let h = headers("Firma,Kunde,Ort");
        let mut choices = Choices::new();
        choices.insert("Kunde".into(), Some("name".into()));
        let m = resolve(ImportKind::Customers, &h, &choices).unwrap();
        assert_eq!(m, [None, Some("name"), Some("city")]);
    }

    #[test]
    fn countries_are_read_by_code_or_name() {
        for (text, code) in [
            ("DE", "DE"),
            ("gb", "GB"),
            ("Deutschland", "DE"),
            ("Österreich", "AT"),
            ("United Kingdom", "GB"),
            ("Pays-Bas", "NL"),
            ("The Netherlands", "NL"),
            ("España", "ES"),
            ("Schweiz", "CH"),
            ("USA", "US"),
        ] {
            assert_eq!(country_code(text), Some(code), "{text}");
        }
        assert_eq!(country_code("Atlantis"), None);
        assert_eq!(normalize("country", " Deutschland "), "DE");
        assert_eq!(normalize("payment_terms_days", "Net 30"), "30");
        assert_eq!(normalize("payment_terms_days", "14 Tage"), "14");
        assert_eq!(
            normalize("payment_terms_days", "1-5"),
            "1-5",
            "left for the check"
        );
        assert_eq!(normalize("currency", "Euro"), "EUR");
        assert_eq!(normalize("currency", "€"), "EUR");
        assert_eq!(normalize("currency", "sek"), "SEK");
        assert_eq!(normalize("currency", "Doubloons"), "Doubloons");
        assert_eq!(normalize("currency", "hkd"), "HKD");
        let place = |n: &str, c: &str| place_tax_number(n, c);
        assert_eq!(
            place("DE129273398", "DE"),
            ("DE129273398".into(), String::new())
        );
        assert_eq!(
            place("129273398", "DE"),
            ("DE129273398".into(), String::new())
        );
        assert_eq!(
            place("GB123456789", "GB"),
            (String::new(), "GB123456789".into())
        );
        assert_eq!(
            place("12-3456789", "US"),
            (String::new(), "12-3456789".into())
        );
        assert_eq!(
            place("ATU1", "AT"),
            ("ATU1".into(), String::new()),
            "left for the check"
        );
        assert_eq!(country_code("XX"), None);
    }
}
