//! Customers: validation of what a user types or a file holds, CSV import and export
//! (DOMAIN.md §8). The form and the import share one validation.

use std::collections::HashSet;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{CoreError, FieldError};
use crate::estimate::Source;
use crate::mapping;
use crate::money::{parse_typed_decimal, Currency};
use crate::textfile;
use crate::treatment::TaxTreatment;

/// ISO 3166-1 alpha-2 codes.
const COUNTRIES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI \
BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ \
DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ \
GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN \
KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS \
MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT \
PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF \
TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM \
ZW XK XI";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum CustomerStatus {
    Prospect,
    #[default]
    Active,
    Former,
}

impl CustomerStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CustomerStatus::Prospect => "prospect",
            CustomerStatus::Active => "active",
            CustomerStatus::Former => "former",
        }
    }

    pub fn parse(text: &str) -> Option<CustomerStatus> {
        match text.trim().to_ascii_lowercase().as_str() {
            "prospect" => Some(CustomerStatus::Prospect),
            "active" => Some(CustomerStatus::Active),
            "former" => Some(CustomerStatus::Former),
            _ => None,
        }
    }
}

/// A customer's environment: what the estimator starts from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, specta::Type)]
pub struct Environment {
    pub mail_platform: Option<Source>,
    pub mailboxes: Option<u32>,
    pub shared_mailboxes: Option<u32>,
    pub pcs: Option<u32>,
    pub phones: Option<u32>,
    pub sites: Option<u32>,
    #[serde(with = "crate::money::serde_str::option")]
    #[specta(type = Option<String>)]
    pub mailbox_gb: Option<Decimal>,
    #[serde(with = "crate::money::serde_str::option")]
    #[specta(type = Option<String>)]
    pub archive_gb: Option<Decimal>,
    #[serde(with = "crate::money::serde_str::option")]
    #[specta(type = Option<String>)]
    pub public_folder_gb: Option<Decimal>,
    #[serde(with = "crate::money::serde_str::option")]
    #[specta(type = Option<String>)]
    pub file_gb: Option<Decimal>,
}

/// A validated customer (without the store's id and timestamps).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct CustomerData {
    pub name: String,
    pub contact_name: String,
    pub email: String,
    pub phone: String,
    pub address_line1: String,
    pub address_line2: String,
    pub postal_code: String,
    pub city: String,
    pub country: String,
    pub tax_id: String,
    pub currency: Currency,
    pub payment_terms_days: u32,
    pub status: CustomerStatus,
    pub notes: String,
    #[serde(flatten)]
    pub environment: Environment,
    #[serde(flatten)]
    pub taxes: CustomerTaxes,
    /// The customer's Microsoft tenant (§10): how a distributor's bill names it.
    #[serde(default)]
    pub tenant_id: String,
    #[serde(default)]
    pub tenant_domain: String,
}

/// How a customer is taxed and reached (§9): its EU VAT ID (normalized, checked), the tax
/// treatment (`auto` by default; `exempt` with its reason), the buyer reference (BT-10, a
/// German public body's Leitweg-ID), a Peppol id and the document language (empty: the
/// country's).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, specta::Type)]
#[serde(default)]
pub struct CustomerTaxes {
    pub vat_id: String,
    pub tax_treatment: TaxTreatment,
    pub exemption_reason: String,
    pub buyer_reference: String,
    pub peppol_id: String,
    pub language: String,
}

/// Customer fields as typed in the form or found in a file: all text, validated together.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, specta::Type)]
#[serde(default)]
pub struct CustomerForm {
    pub name: String,
    pub contact_name: String,
    pub email: String,
    pub phone: String,
    pub address_line1: String,
    pub address_line2: String,
    pub postal_code: String,
    pub city: String,
    pub country: String,
    pub tax_id: String,
    pub currency: String,
    pub payment_terms_days: String,
    pub status: String,
    pub notes: String,
    pub mail_platform: String,
    pub mailboxes: String,
    pub shared_mailboxes: String,
    pub pcs: String,
    pub phones: String,
    pub sites: String,
    pub mailbox_gb: String,
    pub archive_gb: String,
    pub public_folder_gb: String,
    pub file_gb: String,
    pub vat_id: String,
    pub tax_treatment: String,
    pub exemption_reason: String,
    pub buyer_reference: String,
    pub peppol_id: String,
    pub language: String,
    pub tenant_id: String,
    pub tenant_domain: String,
}

/// The columns of the CSV format, in export order.
pub const COLUMNS: [&str; 32] = [
    "name",
    "contact_name",
    "email",
    "phone",
    "address_line1",
    "address_line2",
    "postal_code",
    "city",
    "country",
    "tax_id",
    "currency",
    "payment_terms_days",
    "status",
    "notes",
    "mail_platform",
    "mailboxes",
    "shared_mailboxes",
    "pcs",
    "phones",
    "sites",
    "mailbox_gb",
    "archive_gb",
    "public_folder_gb",
    "file_gb",
    "vat_id",
    "tax_treatment",
    "exemption_reason",
    "buyer_reference",
    "peppol_id",
    "language",
    "tenant_id",
    "tenant_domain",
];

impl CustomerForm {
    fn slot(&mut self, column: &str) -> Option<&mut String> {
        Some(match column {
            "name" => &mut self.name,
            "contact_name" => &mut self.contact_name,
            "email" => &mut self.email,
            "phone" => &mut self.phone,
            "address_line1" => &mut self.address_line1,
            "address_line2" => &mut self.address_line2,
            "postal_code" => &mut self.postal_code,
            "city" => &mut self.city,
            "country" => &mut self.country,
            "tax_id" => &mut self.tax_id,
            "currency" => &mut self.currency,
            "payment_terms_days" => &mut self.payment_terms_days,
            "status" => &mut self.status,
            "notes" => &mut self.notes,
            "mail_platform" => &mut self.mail_platform,
            "mailboxes" => &mut self.mailboxes,
            "shared_mailboxes" => &mut self.shared_mailboxes,
            "pcs" => &mut self.pcs,
            "phones" => &mut self.phones,
            "sites" => &mut self.sites,
            "mailbox_gb" => &mut self.mailbox_gb,
            "archive_gb" => &mut self.archive_gb,
            "public_folder_gb" => &mut self.public_folder_gb,
            "file_gb" => &mut self.file_gb,
            "vat_id" => &mut self.vat_id,
            "tax_treatment" => &mut self.tax_treatment,
            "exemption_reason" => &mut self.exemption_reason,
            "buyer_reference" => &mut self.buyer_reference,
            "peppol_id" => &mut self.peppol_id,
            "language" => &mut self.language,
            "tenant_id" => &mut self.tenant_id,
            "tenant_domain" => &mut self.tenant_domain,
            _ => return None,
        })
    }

    /// The form filled from a stored customer (for editing and for export).
    pub fn from_data(c: &CustomerData) -> CustomerForm {
        let count = |v: Option<u32>| v.map(|n| n.to_string()).unwrap_or_default();
        let size = |v: Option<Decimal>| v.map(|n| n.normalize().to_string()).unwrap_or_default();
        let e = &c.environment;
        CustomerForm {
            name: c.name.clone(),
            contact_name: c.contact_name.clone(),
            email: c.email.clone(),
            phone: c.phone.clone(),
            address_line1: c.address_line1.clone(),
            address_line2: c.address_line2.clone(),
            postal_code: c.postal_code.clone(),
            city: c.city.clone(),
            country: c.country.clone(),
            tax_id: c.tax_id.clone(),
            currency: c.currency.code().to_string(),
            payment_terms_days: c.payment_terms_days.to_string(),
            status: c.status.as_str().to_string(),
            notes: c.notes.clone(),
            mail_platform: e
                .mail_platform
                .map(|s| s.as_str().to_string())
                .unwrap_or_default(),
            mailboxes: count(e.mailboxes),
            shared_mailboxes: count(e.shared_mailboxes),
            pcs: count(e.pcs),
            phones: count(e.phones),
            sites: count(e.sites),
            mailbox_gb: size(e.mailbox_gb),
            archive_gb: size(e.archive_gb),
            public_folder_gb: size(e.public_folder_gb),
            file_gb: size(e.file_gb),
            vat_id: c.taxes.vat_id.clone(),
            tax_treatment: c.taxes.tax_treatment.as_str().to_string(),
            exemption_reason: c.taxes.exemption_reason.clone(),
            buyer_reference: c.taxes.buyer_reference.clone(),
            peppol_id: c.taxes.peppol_id.clone(),
            language: c.taxes.language.clone(),
            tenant_id: c.tenant_id.clone(),
            tenant_domain: c.tenant_domain.clone(),
        }
    }

    /// Validates every field; all problems are reported, each with its field.
    pub fn validate(&self, defaults: &CustomerDefaults) -> Result<CustomerData, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut fail = |field: &str, message: String| {
            errors.push(FieldError {
                field: field.to_string(),
                message,
            });
        };
        let name = self.name.trim();
        let name_len = name.chars().count();
        if name_len == 0 {
            fail("name", "The name is required.".into());
        } else if name_len > 200 {
            fail(
                "name",
                format!("The name has {name_len} characters; at most 200 are allowed."),
            );
        }
        let (email, country) = check_email_and_country(&self.email, &self.country, &mut fail);
        let currency = match self.currency.trim() {
            "" => Some(defaults.currency),
            code => match Currency::parse(code) {
                Ok(c) => Some(c),
                Err(e) => {
                    fail("currency", e.message);
                    None
                }
            },
        };
        let payment_terms_days = match self.payment_terms_days.trim() {
            "" => Some(defaults.payment_terms_days),
            text => crate::bounds::payment_terms_days(text)
                .map_err(|e| fail("payment_terms_days", e))
                .ok(),
        };
        let status = match self.status.trim() {
            "" => Some(CustomerStatus::Active),
            text => CustomerStatus::parse(text).or_else(|| {
                fail(
                    "status",
                    format!("Status \"{text}\" must be prospect, active or former."),
                );
                None
            }),
        };
        let mail_platform = match self.mail_platform.trim() {
            "" => None,
            text => Source::parse(text).or_else(|| {
                fail(
                    "mail_platform",
                    format!(
                        "Mail platform \"{text}\" must be one of exchange_hybrid, \
                         exchange_cutover, google_workspace, imap or other."
                    ),
                );
                None
            }),
        };
        let mut count = |field: &str, label: &str, text: &str| -> Option<u32> {
            let t = text.trim();
            if t.is_empty() {
                return None;
            }
            crate::bounds::count(label, t, 0)
                .map_err(|message| {
                    errors.push(FieldError {
                        field: field.to_string(),
                        message,
                    })
                })
                .ok()
        };
        let mailboxes = count("mailboxes", "Mailboxes", &self.mailboxes);
        let shared_mailboxes = count(
            "shared_mailboxes",
            "Shared mailboxes",
            &self.shared_mailboxes,
        );
        let pcs = count("pcs", "PCs", &self.pcs);
        let phones = count("phones", "Phones", &self.phones);
        let sites = count("sites", "Sites", &self.sites);
        let mut size = |field: &str, label: &str, text: &str| -> Option<Decimal> {
            let t = text.trim();
            if t.is_empty() {
                return None;
            }
            match parse_typed_decimal(field, t) {
                Ok(v)
                    if v >= Decimal::ZERO
                        && v.normalize().scale() <= 2
                        && v < Decimal::from(1_000_000_000) =>
                {
                    Some(v.normalize())
                }
                _ => {
                    errors.push(FieldError {
                        field: field.to_string(),
                        message: format!(
                            "{label} \"{t}\" must be a number of GB, 0 or more, with at most 2 decimals."
                        ),
                    });
                    None
                }
            }
        };
        let mailbox_gb = size("mailbox_gb", "Mailbox data", &self.mailbox_gb);
        let archive_gb = size("archive_gb", "Archive data", &self.archive_gb);
        let public_folder_gb = size(
            "public_folder_gb",
            "Public folder data",
            &self.public_folder_gb,
        );
        let file_gb = size("file_gb", "File data", &self.file_gb);
        let taxes = self.check_taxes(&country, &mut |field, message| {
            errors.push(FieldError {
                field: field.to_string(),
                message,
            })
        });
        let (tenant_id, tenant_domain) =
            check_tenant(&self.tenant_id, &self.tenant_domain, &mut errors);
        if !errors.is_empty() {
            return Err(errors);
        }
        let text = |s: &str| s.trim().to_string();
        Ok(CustomerData {
            name: name.to_string(),
            contact_name: text(&self.contact_name),
            email: email.to_string(),
            phone: text(&self.phone),
            address_line1: text(&self.address_line1),
            address_line2: text(&self.address_line2),
            postal_code: text(&self.postal_code),
            city: text(&self.city),
            country,
            tax_id: text(&self.tax_id),
            currency: currency.unwrap_or(defaults.currency),
            payment_terms_days: payment_terms_days.unwrap_or(defaults.payment_terms_days),
            status: status.unwrap_or_default(),
            notes: self.notes.trim_end().to_string(),
            environment: Environment {
                mail_platform,
                mailboxes,
                shared_mailboxes,
                pcs,
                phones,
                sites,
                mailbox_gb,
                archive_gb,
                public_folder_gb,
                file_gb,
            },
            taxes,
            tenant_id,
            tenant_domain,
        })
    }

    /// §9's customer fields: the VAT ID checked for its state's format and check digit and
    /// matching the country; an explicit reverse charge needs it, `exempt` needs its reason.
    fn check_taxes(&self, country: &str, fail: &mut impl FnMut(&str, String)) -> CustomerTaxes {
        let typed = self.vat_id.trim();
        let vat_id = match typed {
            "" => String::new(),
            _ => match crate::vat::check_vat_id(typed) {
                Ok(id) => {
                    let of_country = match id.prefix.as_str() {
                        "EL" => "GR",
                        p => p,
                    };
                    let fits = country.is_empty()
                        || country == of_country
                        || (country == "MC" && of_country == "FR")
                        || (country == "GB" && of_country == "XI");
                    if !fits {
                        fail(
                            "vat_id",
                            format!(
                                "The VAT ID {id} is one of {}, but the customer's country is                                  {country}.",
                                id.prefix
                            ),
                        );
                    }
                    id.to_string()
                }
                Err(e) => {
                    fail("vat_id", e.message);
                    String::new()
                }
            },
        };
        let tax_treatment = TaxTreatment::parse(&self.tax_treatment).unwrap_or_else(|| {
            fail(
                "tax_treatment",
                format!(
                    "Tax treatment \"{}\" must be auto, domestic, reverse_charge, outside_eu or \
                     exempt.",
                    self.tax_treatment.trim()
                ),
            );
            TaxTreatment::Auto
        });
        let exemption_reason = self.exemption_reason.trim().to_string();
        if tax_treatment == TaxTreatment::ReverseCharge && typed.is_empty() {
            fail(
                "vat_id",
                "A reverse-charge customer needs its VAT ID (it is printed on every invoice)."
                    .into(),
            );
        }
        if tax_treatment == TaxTreatment::Exempt && exemption_reason.is_empty() {
            fail(
                "exemption_reason",
                "An exempt customer needs the reason for the exemption (it is printed on every \
                 invoice)."
                    .into(),
            );
        }
        for (field, label, text) in [
            (
                "exemption_reason",
                "The exemption reason",
                &exemption_reason,
            ),
            (
                "buyer_reference",
                "The buyer reference",
                &self.buyer_reference,
            ),
        ] {
            if text.trim().chars().count() > 200 || text.chars().any(char::is_control) {
                fail(
                    field,
                    format!("{label} must be one line of at most 200 characters."),
                );
            }
        }
        let peppol_id = self.peppol_id.trim().to_string();
        if !peppol_id.is_empty()
            && (peppol_id.contains('@') || !crate::settings::electronic_address_ok(&peppol_id))
        {
            fail(
                "peppol_id",
                format!(
                    "\"{peppol_id}\" is not a Peppol id: the scheme, a colon and the id, like \
                     0208:0123456749 or 9930:DE123456788."
                ),
            );
        }
        let language = match self.language.trim() {
            "" => String::new(),
            text => match crate::language::parse(text) {
                Some(code) => code.to_string(),
                None => {
                    fail(
                        "language",
                        format!(
                            "Documents can be printed in {}; \"{text}\" is not one of them.",
                            crate::language::LANGUAGES.join(", ")
                        ),
                    );
                    String::new()
                }
            },
        };
        CustomerTaxes {
            vat_id,
            tax_treatment,
            exemption_reason,
            buyer_reference: self.buyer_reference.trim().to_string(),
            peppol_id,
            language,
        }
    }
}

/// The Microsoft tenant (§10): its id a GUID, its domain a DNS name (`contoso.onmicrosoft.com`),
/// both lower case and both optional.
fn check_tenant(id: &str, domain: &str, errors: &mut Vec<FieldError>) -> (String, String) {
    let tenant_id = match id.trim() {
        "" => String::new(),
        text => crate::nce::guid(text).unwrap_or_else(|| {
            errors.push(FieldError {
                field: "tenant_id".into(),
                message: format!(
                    "\"{text}\" is not a Microsoft tenant id: 32 hexadecimal digits like \
                     0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0 (Entra admin center › Overview)."
                ),
            });
            String::new()
        }),
    };
    let domain = domain.trim().trim_end_matches('.').to_ascii_lowercase();
    let labels_ok = domain.split('.').count() >= 2
        && domain.len() <= 253
        && domain.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    if !domain.is_empty() && !labels_ok {
        errors.push(FieldError {
            field: "tenant_domain".into(),
            message: format!(
                "\"{domain}\" is not a domain name; write it like contoso.onmicrosoft.com."
            ),
        });
    }
    (tenant_id, if labels_ok { domain } else { String::new() })
}

/// Defaults from the settings for fields a form or file leaves empty.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CustomerDefaults {
    pub currency: Currency,
    pub payment_terms_days: u32,
}

/// The e-mail and country checks that customers and the company profile share: both are
/// optional; the country comes back upper-cased.
pub(crate) fn check_email_and_country<'a>(
    email: &'a str,
    country: &str,
    fail: &mut impl FnMut(&str, String),
) -> (&'a str, String) {
    let email = email.trim();
    if !email.is_empty() && !looks_like_email(email) {
        fail(
            "email",
            format!("\"{email}\" is not an e-mail address like name@example.com."),
        );
    }
    let code = country.trim().to_ascii_uppercase();
    if !code.is_empty() && !is_country(&code) {
        let typed = country.trim();
        fail(
            "country",
            format!("\"{typed}\" is not a two-letter country code like DE or GB."),
        );
    }
    (email, code)
}

pub fn looks_like_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    let labels: Vec<&str> = domain.split('.').collect();
    let tld = labels.last().copied().unwrap_or("");
    !local.is_empty()
        && !email
            .chars()
            .any(|c| c.is_whitespace() || c == ',' || c == ';' || c == '<' || c == '>')
        && !domain.contains('@')
        && labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && !l.starts_with('-') && !l.ends_with('-'))
        && tld.chars().count() >= 2
        && tld.chars().all(char::is_alphanumeric)
}

pub fn is_country(code: &str) -> bool {
    country_code_of(code).is_some()
}

/// The ISO 3166-1 alpha-2 code `code` names, if it is one (upper case expected).
pub fn country_code_of(code: &str) -> Option<&'static str> {
    (code.len() == 2)
        .then(|| COUNTRIES.split_ascii_whitespace().find(|c| *c == code))
        .flatten()
}

/// Case-insensitive, trimmed: how names are compared for duplicates.
pub fn name_key(name: &str) -> String {
    name.trim().to_lowercase()
}

pub use crate::mapping::ImportRowError;

/// What an import would do: the valid customers, every row error, ignored columns.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct ImportPreview {
    #[serde(flatten)]
    pub summary: mapping::ImportSummary,
    #[serde(skip)]
    pub customers: Vec<CustomerData>,
    /// Per customer above: archived in the file (the export's `archived` column).
    #[serde(skip)]
    pub archived: Vec<bool>,
}

fn column_key(header: &str) -> String {
    header
        .chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Reads a customer CSV and validates every row against §8 and the existing names, its
/// columns mapped per §11: automatically, with the user's `choices` over that.
pub fn parse_customer_csv(
    bytes: &[u8],
    defaults: &CustomerDefaults,
    existing_names: &HashSet<String>,
    choices: &mapping::Choices,
) -> Result<ImportPreview, CoreError> {
    // VarDesk's own export carries `archived`; it is read as such, never mapped.
    let read = mapping::read(
        bytes,
        mapping::ImportKind::Customers,
        choices,
        Some(ARCHIVED_COLUMN),
    )?;
    let (table, columns) = (&read.table, &read.columns);
    let archived_at = table
        .header
        .iter()
        .position(|h| column_key(h) == ARCHIVED_COLUMN);
    let mut names = existing_names.clone();
    let mut preview = ImportPreview {
        summary: read.summary(),
        customers: Vec::new(),
        archived: Vec::new(),
    };
    if preview.summary.mapping_error.is_some() {
        return Ok(preview);
    }
    for record in &table.records {
        let mut form = CustomerForm::default();
        let (mut first, mut last) = ("", "");
        for (value, column) in record.fields.iter().zip(columns) {
            let value = textfile::csv_text_value(value);
            match *column {
                Some(mapping::FIRST_NAME) => first = value.trim(),
                Some(mapping::LAST_NAME) => last = value.trim(),
                // "Deutschland" as well as "DE", "Net 30" as 30 days (§11).
                Some(c) => {
                    if let Some(slot) = form.slot(c) {
                        *slot = mapping::normalize(c, value);
                    }
                }
                None => {}
            }
        }
        let person = format!("{first} {last}").trim().to_string();
        if form.name.trim().is_empty() && !columns.contains(&Some("name")) {
            form.name = person.clone(); // a list of people: the person is the customer
        }
        if form.contact_name.trim().is_empty() {
            form.contact_name = person;
        }
        if form.tax_id.trim().is_empty() {
            (form.vat_id, form.tax_id) = mapping::place_tax_number(&form.vat_id, &form.country);
        }
        match form.validate(defaults) {
            Ok(customer) => {
                if !names.insert(name_key(&customer.name)) {
                    let why = format!("a customer named \"{}\" already exists", customer.name);
                    preview.summary.fail(record.line, "duplicate_name", why);
                    continue;
                }
                preview.customers.push(customer);
                let archived = archived_at
                    .and_then(|i| record.fields.get(i))
                    .is_some_and(|cell| is_yes(cell));
                preview.archived.push(archived);
            }
            Err(errors) => {
                for e in errors {
                    preview
                        .summary
                        .fail(record.line, &e.field, lowercase_first(&e.message));
                }
            }
        }
    }
    preview.summary.finish(preview.customers.len());
    Ok(preview)
}

fn lowercase_first(sentence: &str) -> String {
    let trimmed = sentence.trim_end_matches('.');
    let mut chars = trimmed.chars();
    match chars.next() {
        Some(first) if !trimmed.starts_with('"') => first.to_lowercase().chain(chars).collect(),
        _ => trimmed.to_string(),
    }
}

/// Writes customers as UTF-8 CSV with BOM, comma-separated, every column, header first.
pub fn export_customer_csv(customers: &[CustomerData]) -> Vec<u8> {
    let rows: Vec<(CustomerData, bool)> = customers.iter().map(|c| (c.clone(), false)).collect();
    export_customers_with_archived(&rows)
}

/// The export format: every column of §8, then `archived` (`yes` for an archived customer),
/// which an import reads back.
pub fn export_customers_with_archived(customers: &[(CustomerData, bool)]) -> Vec<u8> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        // Writing to a Vec cannot fail.
        let _ = writer.write_record(COLUMNS.iter().chain([&ARCHIVED_COLUMN]));
        for (c, archived) in customers {
            let mut form = CustomerForm::from_data(c);
            let mut row: Vec<String> = COLUMNS
                .iter()
                .map(|col| {
                    form.slot(col)
                        .map(|s| textfile::csv_text_cell(s))
                        .unwrap_or_default()
                })
                .collect();
            row.push(if *archived { "yes" } else { "" }.to_string());
            let _ = writer.write_record(&row);
        }
        let _ = writer.flush();
    }
    out
}

/// The export's extra column: whether the customer is archived.
pub const ARCHIVED_COLUMN: &str = "archived";

/// `yes`, `true`, `1`, `x` (any case; also `ja`, `oui`, `sí`) mark an archived customer.
fn is_yes(cell: &str) -> bool {
    matches!(
        cell.trim().to_lowercase().as_str(),
        "yes" | "y" | "true" | "1" | "x" | "ja" | "oui" | "si" | "sí"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defaults() -> CustomerDefaults {
        CustomerDefaults {
            currency: Currency::EUR,
            payment_terms_days: 14,
        }
    }

    #[test]
    fn emails_are_checked() {
        for ok in ["a@b.de", "jane.doe+x@sub.example.co.uk", "zoë@ångström.se"] {
            assert!(looks_like_email(ok), "{ok}");
        }
        for bad in [
            "a@b", "@b.de", "a b@c.de", "a@b.c", "a@@b.de", "a@.de", "a@b..de",
        ] {
            assert!(!looks_like_email(bad), "{bad}");
        }
    }

    #[test]
    fn every_problem_is_reported_with_its_field() {
        let form = CustomerForm {
            name: " ".into(),
            email: "nope".into(),
            country: "XX".into(),
            mailboxes: "-3".into(),
            ..Default::default()
        };
        let fields: Vec<String> = form
            .validate(&defaults())
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, vec!["name", "email", "country", "mailboxes"]);
    }

    #[test]
    fn round_trip_through_csv() {
        let form = CustomerForm {
            name: "Müller & Söhne GmbH".into(),
            notes: "line one\nline \"two\"; three".into(),
            country: "de".into(),
            mailbox_gb: "312,5".into(),
            mail_platform: "exchange_hybrid".into(),
            ..Default::default()
        };
        let customer = form.validate(&defaults()).unwrap();
        assert_eq!(customer.country, "DE");
        let bytes = export_customer_csv(std::slice::from_ref(&customer));
        let preview =
            parse_customer_csv(&bytes, &defaults(), &HashSet::new(), &Default::default()).unwrap();
        assert_eq!(preview.summary.errors, vec![]);
        assert_eq!(preview.customers, vec![customer]);
    }

    #[test]
    fn duplicates_against_the_database_and_the_file() {
        let existing: HashSet<String> = [name_key("O'Brien Ltd")].into();
        let csv = "Name;City\no'brien ltd ;Cork\nNew;Paris\n new ;Lyon\n";
        let p = parse_customer_csv(csv.as_bytes(), &defaults(), &existing, &Default::default())
            .unwrap();
        let lines: Vec<(u64, &str)> = p
            .summary
            .errors
            .iter()
            .map(|e| (e.line, e.code.as_str()))
            .collect();
        assert_eq!(lines, vec![(2, "duplicate_name"), (4, "duplicate_name")]);
        assert_eq!(p.summary.valid, 1);
    }
}
