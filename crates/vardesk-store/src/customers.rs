//! Customers: list with search, sort and filters; create, edit, archive; CSV import and export.

use std::collections::HashSet;

use rusqlite::{params, params_from_iter, OptionalExtension, Row, Transaction};
use serde::{Deserialize, Serialize};
use vardesk_core::customer::{
    export_customers_with_archived, name_key, parse_customer_csv, CustomerData, CustomerDefaults,
    CustomerForm, CustomerStatus, CustomerTaxes, Environment, ImportPreview,
};
use vardesk_core::estimate::Source;
use vardesk_core::mapping::{ImportKind, MappingRequest};
use vardesk_core::search::fold;
use vardesk_core::treatment::TaxTreatment;
use vardesk_core::{CoreError, Currency, ErrorCode};

use crate::{from_scaled, now, to_scaled, DbResult, Result, Store};

/// A stored customer.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct CustomerRecord {
    pub id: i64,
    #[serde(flatten)]
    pub data: CustomerData,
    pub archived: bool,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum CustomerSort {
    #[default]
    Name,
    City,
    Status,
    Mailboxes,
    Updated,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ArchiveFilter {
    #[default]
    Current,
    Archived,
    All,
}

/// What the customer list asks for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, specta::Type)]
#[serde(default)]
pub struct CustomerQuery {
    pub search: String,
    pub status: Option<CustomerStatus>,
    pub archive: ArchiveFilter,
    pub sort: CustomerSort,
    pub descending: bool,
    /// At most this many rows (0 = no limit).
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct CustomerPage {
    pub customers: Vec<CustomerRecord>,
    /// How many match in all (more than `customers.len()` when limited).
    pub total: u32,
}

/// What an applied import did.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct ImportOutcome {
    #[serde(flatten)]
    pub preview: ImportPreview,
    pub imported: u32,
}

fn from_row(row: &Row<'_>) -> rusqlite::Result<CustomerRecord> {
    let currency: String = row.get("currency")?;
    let status: String = row.get("status")?;
    let platform: Option<String> = row.get("mail_platform")?;
    let gb = |col: &str| -> rusqlite::Result<_> {
        Ok(row.get::<_, Option<i64>>(col)?.map(|v| from_scaled(v, 2)))
    };
    Ok(CustomerRecord {
        id: row.get("id")?,
        data: CustomerData {
            name: row.get("name")?,
            contact_name: row.get("contact_name")?,
            email: row.get("email")?,
            phone: row.get("phone")?,
            address_line1: row.get("address_line1")?,
            address_line2: row.get("address_line2")?,
            postal_code: row.get("postal_code")?,
            city: row.get("city")?,
            country: row.get("country")?,
            tax_id: row.get("tax_id")?,
            currency: Currency::parse(&currency).unwrap_or(Currency::EUR),
            payment_terms_days: row.get("payment_terms_days")?,
            status: CustomerStatus::parse(&status).unwrap_or_default(),
            notes: row.get("notes")?,
            environment: Environment {
                mail_platform: platform.as_deref().and_then(Source::parse),
                mailboxes: row.get("mailboxes")?,
                shared_mailboxes: row.get("shared_mailboxes")?,
                pcs: row.get("pcs")?,
                phones: row.get("phones")?,
                sites: row.get("sites")?,
                mailbox_gb: gb("mailbox_gb_e2")?,
                archive_gb: gb("archive_gb_e2")?,
                public_folder_gb: gb("public_folder_gb_e2")?,
                file_gb: gb("file_gb_e2")?,
            },
            taxes: CustomerTaxes {
                vat_id: row.get("vat_id")?,
                tax_treatment: TaxTreatment::parse(&row.get::<_, String>("tax_treatment")?)
                    .unwrap_or_default(),
                exemption_reason: row.get("exemption_reason")?,
                buyer_reference: row.get("buyer_reference")?,
                peppol_id: row.get("peppol_id")?,
                language: row.get("language")?,
            },
            tenant_id: row.get("tenant_id")?,
            tenant_domain: row.get("tenant_domain")?,
        },
        archived: row.get::<_, Option<String>>("archived_at")?.is_some(),
        created_at: row.get("created_at")?,
        updated_at: row.get("updated_at")?,
    })
}

fn search_text(c: &CustomerData) -> String {
    fold(
        &[
            &c.name,
            &c.contact_name,
            &c.email,
            &c.phone,
            &c.city,
            &c.postal_code,
            &c.tax_id,
            &c.taxes.vat_id,
        ]
        .map(|s| s.as_str())
        .join("\u{1f}"),
    )
}

fn duplicate_name(name: &str) -> CoreError {
    CoreError::validation(
        "name",
        format!("A customer named \"{name}\" already exists."),
    )
}

/// Inserts or updates one validated customer inside a transaction.
fn upsert(tx: &Transaction<'_>, id: Option<i64>, c: &CustomerData) -> Result<i64> {
    let e = &c.environment;
    let gb = |v: Option<rust_decimal::Decimal>| v.map(|d| to_scaled(d, 2)).transpose();
    let stamp = now();
    let values = params![
        c.name,
        name_key(&c.name),
        fold(&c.name),
        search_text(c),
        c.contact_name,
        c.email,
        c.phone,
        c.address_line1,
        c.address_line2,
        c.postal_code,
        c.city,
        c.country,
        c.tax_id,
        c.currency.code(),
        c.payment_terms_days,
        c.status.as_str(),
        c.notes,
        e.mail_platform.map(Source::as_str),
        e.mailboxes,
        e.shared_mailboxes,
        e.pcs,
        e.phones,
        e.sites,
        gb(e.mailbox_gb)?,
        gb(e.archive_gb)?,
        gb(e.public_folder_gb)?,
        gb(e.file_gb)?,
        stamp,
        id
    ];
    let result = match id {
        None => tx.execute(
            "INSERT INTO customers (id, name, name_key, name_fold, search_text, contact_name, email,
                phone, address_line1, address_line2, postal_code, city, country, tax_id, currency,
                payment_terms_days, status, notes, mail_platform, mailboxes, shared_mailboxes, pcs,
                phones, sites, mailbox_gb_e2, archive_gb_e2, public_folder_gb_e2, file_gb_e2,
                created_at, updated_at)
             VALUES (?29, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?28)",
            values,
        ),
        Some(_) => tx.execute(
            "UPDATE customers SET name = ?1, name_key = ?2, name_fold = ?3, search_text = ?4,
                contact_name = ?5, email = ?6, phone = ?7, address_line1 = ?8, address_line2 = ?9,
                postal_code = ?10, city = ?11, country = ?12, tax_id = ?13, currency = ?14,
                payment_terms_days = ?15, status = ?16, notes = ?17, mail_platform = ?18,
                mailboxes = ?19, shared_mailboxes = ?20, pcs = ?21, phones = ?22, sites = ?23,
                mailbox_gb_e2 = ?24, archive_gb_e2 = ?25, public_folder_gb_e2 = ?26,
                file_gb_e2 = ?27, updated_at = ?28
             WHERE id = ?29",
            values,
        ),
    };
    let id = match result {
        Ok(0) => return Err(not_found(id.unwrap_or_default())),
        Ok(_) => id.unwrap_or_else(|| tx.last_insert_rowid()),
        Err(rusqlite::Error::SqliteFailure(f, Some(msg)))
            if f.code == rusqlite::ErrorCode::ConstraintViolation && msg.contains("name_key") =>
        {
            return Err(duplicate_name(&c.name))
        }
        Err(e) => return Err(crate::db_error(e)),
    };
    // One tenant is one customer: a bill's charges must match one of them only.
    if !c.tenant_id.is_empty() || !c.tenant_domain.is_empty() {
        let other: Option<String> = tx
            .query_row(
                "SELECT name FROM customers WHERE id <> ?1
                   AND ((?2 <> '' AND tenant_id = ?2) OR (?3 <> '' AND tenant_domain = ?3))",
                params![id, c.tenant_id, c.tenant_domain],
                |r| r.get(0),
            )
            .optional()
            .db()?;
        if let Some(other) = other {
            return Err(CoreError::validation(
                "tenant_id",
                format!(
                    "{other} already has this Microsoft tenant; a tenant belongs to one customer."
                ),
            ));
        }
    }
    let t = &c.taxes;
    tx.execute(
        "UPDATE customers SET vat_id = ?2, tax_treatment = ?3, exemption_reason = ?4,
            buyer_reference = ?5, peppol_id = ?6, language = ?7, tenant_id = ?8,
            tenant_domain = ?9
         WHERE id = ?1",
        params![
            id,
            t.vat_id,
            t.tax_treatment.as_str(),
            t.exemption_reason,
            t.buyer_reference,
            t.peppol_id,
            t.language,
            c.tenant_id,
            c.tenant_domain
        ],
    )
    .db()?;
    Ok(id)
}

fn not_found(id: i64) -> CoreError {
    CoreError::new(
        ErrorCode::NotFound,
        format!("Customer {id} does not exist (any more)."),
    )
}

/// Inserts a validated customer inside someone else's transaction.
pub(crate) fn insert_in(tx: &Transaction<'_>, c: &CustomerData) -> Result<i64> {
    upsert(tx, None, c)
}

impl Store {
    fn customer_defaults(&self) -> Result<CustomerDefaults> {
        let s = self.require_settings()?;
        Ok(CustomerDefaults {
            currency: s.default_currency,
            payment_terms_days: s.payment_terms_days,
        })
    }

    pub fn list_customers(&self, q: &CustomerQuery) -> Result<CustomerPage> {
        let mut clauses = Vec::new();
        let mut args: Vec<String> = Vec::new();
        // Every word typed must appear somewhere in the folded search text.
        let folded = fold(&q.search);
        let searching = !folded.trim().is_empty();
        for word in folded.split_whitespace() {
            args.push(word.to_string());
            clauses.push(format!("instr(search_text, ?{}) > 0", args.len()));
        }
        if let Some(status) = q.status {
            args.push(status.as_str().to_string());
            clauses.push(format!("status = ?{}", args.len()));
        }
        match q.archive {
            ArchiveFilter::Current => clauses.push("archived_at IS NULL".into()),
            ArchiveFilter::Archived => clauses.push("archived_at IS NOT NULL".into()),
            ArchiveFilter::All => {}
        }
        let filter = if clauses.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", clauses.join(" AND "))
        };
        let dir = if q.descending { "DESC" } else { "ASC" };
        let order = match q.sort {
            // With a search, `+` keeps SQLite from walking the name index row by row (slow
            // when the search rejects most rows): a scan with a top-N sort is faster.
            CustomerSort::Name if searching => format!("+name_fold {dir}, id"),
            CustomerSort::Name => format!("name_fold {dir}, id"),
            CustomerSort::City => format!("city = '', lower(city) {dir}, name_fold, id"),
            CustomerSort::Status => format!("status {dir}, name_fold, id"),
            CustomerSort::Mailboxes => {
                format!("mailboxes IS NULL, mailboxes {dir}, name_fold, id")
            }
            CustomerSort::Updated => format!("updated_at {dir}, id {dir}"),
        };
        let limit = if q.limit == 0 { -1 } else { i64::from(q.limit) };
        let conn = self.conn();
        let count_sql = format!("SELECT count(*) FROM customers{filter}");
        let total: u32 = conn
            .prepare_cached(&count_sql)
            .db()?
            .query_row(params_from_iter(&args), |r| r.get(0))
            .db()?;
        // ORDER BY … LIMIT keeps only the page while sorting (a top-N sort, not a full one).
        let sql = format!("SELECT * FROM customers{filter} ORDER BY {order} LIMIT {limit}");
        let customers = conn
            .prepare_cached(&sql)
            .db()?
            .query_map(params_from_iter(&args), from_row)
            .db()?
            .collect::<rusqlite::Result<Vec<_>>>()
            .db()?;
        Ok(CustomerPage { customers, total })
    }

    pub fn customer(&self, id: i64) -> Result<CustomerRecord> {
        self.conn()
            .query_row("SELECT * FROM customers WHERE id = ?1", [id], from_row)
            .optional()
            .db()?
            .ok_or_else(|| not_found(id))
    }

    /// Validates the form (all fields) and creates the customer.
    pub fn create_customer(&mut self, form: &CustomerForm) -> Result<CustomerRecord> {
        let data = form
            .validate(&self.customer_defaults()?)
            .map_err(CoreError::from)?;
        let id = self.write(|tx| upsert(tx, None, &data))?;
        self.customer(id)
    }

    pub fn update_customer(&mut self, id: i64, form: &CustomerForm) -> Result<CustomerRecord> {
        let data = form
            .validate(&self.customer_defaults()?)
            .map_err(CoreError::from)?;
        self.write(|tx| upsert(tx, Some(id), &data))?;
        self.customer(id)
    }

    /// Archives (or restores) a customer. Customers are never deleted once they have
    /// documents; archiving hides them from lists and pickers.
    pub fn set_customer_archived(&mut self, id: i64, archived: bool) -> Result<CustomerRecord> {
        self.write(|tx| {
            let stamp = now();
            let changed = tx
                .execute(
                    "UPDATE customers SET archived_at = CASE WHEN ?2 THEN coalesce(archived_at, ?3)
                        ELSE NULL END, updated_at = ?3 WHERE id = ?1",
                    params![id, archived, stamp],
                )
                .db()?;
            if changed == 0 {
                return Err(not_found(id));
            }
            Ok(())
        })?;
        self.customer(id)
    }

    fn existing_name_keys(&self) -> Result<HashSet<String>> {
        let mut stmt = self.conn().prepare("SELECT name_key FROM customers").db()?;
        let keys = stmt
            .query_map([], |r| r.get(0))
            .db()?
            .collect::<rusqlite::Result<_>>()
            .db()?;
        Ok(keys)
    }

    /// What importing this file would do, mapped automatically (or as saved for its header
    /// line); nothing is written.
    pub fn preview_customer_import(&self, bytes: &[u8]) -> Result<ImportPreview> {
        self.preview_customer_import_with(bytes, &MappingRequest::default())
    }

    /// What importing this file would do with the mapping `request` asks for (§11).
    pub fn preview_customer_import_with(
        &self,
        bytes: &[u8],
        request: &MappingRequest,
    ) -> Result<ImportPreview> {
        let headers = crate::mappings::file_headers(bytes)?;
        let chosen = self.mapping_choices(ImportKind::Customers, &headers, request)?;
        let mut preview = parse_customer_csv(
            bytes,
            &self.customer_defaults()?,
            &self.existing_name_keys()?,
            &chosen.choices,
        )?;
        preview.summary.mapping_name = chosen.saved;
        Ok(preview)
    }

    /// Imports every row in one transaction, or nothing when any row has an error.
    pub fn import_customers(&mut self, bytes: &[u8]) -> Result<ImportOutcome> {
        self.import_customers_with(bytes, &MappingRequest::default())
    }

    /// Imports with the mapping `request` asks for, saving it under `save_as` when given.
    pub fn import_customers_with(
        &mut self,
        bytes: &[u8],
        request: &MappingRequest,
    ) -> Result<ImportOutcome> {
        let preview = self.preview_customer_import_with(bytes, request)?;
        crate::imports::refuse_unless_clean(
            &preview.summary.mapping_error,
            &preview.summary.errors,
            preview.summary.error_count(),
        )?;
        let imported = self.write(|tx| {
            let stamp = now();
            for (customer, archived) in preview.customers.iter().zip(&preview.archived) {
                let id = upsert(tx, None, customer)?;
                if *archived {
                    tx.execute(
                        "UPDATE customers SET archived_at = ?2 WHERE id = ?1",
                        params![id, stamp],
                    )
                    .db()?;
                }
            }
            Ok(preview.customers.len() as u32)
        })?;
        self.remember_mapping(ImportKind::Customers, bytes, request)?;
        Ok(ImportOutcome { preview, imported })
    }

    /// Every customer (archived too), as CSV bytes in the import format.
    pub fn export_customers(&self) -> Result<Vec<u8>> {
        let page = self.list_customers(&CustomerQuery {
            archive: ArchiveFilter::All,
            ..Default::default()
        })?;
        let rows: Vec<(CustomerData, bool)> = page
            .customers
            .into_iter()
            .map(|c| (c.data, c.archived))
            .collect();
        Ok(export_customers_with_archived(&rows))
    }

    /// Inserts validated customers in one transaction (sample data, benchmarks).
    pub fn insert_customers(&mut self, customers: &[CustomerData]) -> Result<()> {
        self.write(|tx| {
            customers
                .iter()
                .try_for_each(|c| upsert(tx, None, c).map(|_| ()))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::temp_store;
    use vardesk_core::settings::SettingsForm;

    fn ready() -> (tempfile::TempDir, Store) {
        let (dir, mut store) = temp_store();
        store
            .save_settings(&SettingsForm {
                company_name: "Contoso".into(),
                ..SettingsForm::first_run()
            })
            .unwrap();
        (dir, store)
    }

    fn form(name: &str) -> CustomerForm {
        CustomerForm {
            name: name.into(),
            ..Default::default()
        }
    }

    #[test]
    fn export_and_import_keep_formula_looking_names_and_the_archived_flag() {
        let (_dir, mut store) = ready();
        let hostile = "=HYPERLINK(\"http://evil\",\"Click\")";
        let c = store.create_customer(&form(hostile)).unwrap();
        store.set_customer_archived(c.id, true).unwrap();
        store.create_customer(&form("+49 Plain GmbH")).unwrap();
        let bytes = store.export_customers().unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(text.contains("\"'=HYPERLINK("), "{text}");
        assert!(
            !text.contains(",=HYPERLINK") && !text.contains("\n=HYPERLINK"),
            "{text}"
        );
        assert!(
            text.lines().next().unwrap().ends_with(",archived"),
            "{text}"
        );

        let (_other, mut fresh) = ready();
        fresh.import_customers(&bytes).unwrap();
        let all = fresh
            .list_customers(&CustomerQuery {
                archive: ArchiveFilter::All,
                ..Default::default()
            })
            .unwrap();
        let back = all
            .customers
            .iter()
            .find(|c| c.data.name == hostile)
            .unwrap();
        assert!(back.archived, "the archived flag came back");
        let plain = all
            .customers
            .iter()
            .find(|c| c.data.name == "+49 Plain GmbH")
            .unwrap();
        assert!(!plain.archived);
    }

    #[test]
    fn create_search_and_sort_with_unicode() {
        let (_dir, mut store) = ready();
        for name in [
            "Zoë Ångström-Łukasiewicz AB",
            "Łódź Logistics",
            "Adatum",
            "O'Brien Ltd",
        ] {
            store.create_customer(&form(name)).unwrap();
        }
        let find = |s: &Store, text: &str| -> Vec<String> {
            let q = CustomerQuery {
                search: text.into(),
                ..Default::default()
            };
            s.list_customers(&q)
                .unwrap()
                .customers
                .into_iter()
                .map(|c| c.data.name)
                .collect()
        };
        assert_eq!(
            find(&store, "ångström"),
            vec!["Zoë Ångström-Łukasiewicz AB"]
        );
        assert_eq!(find(&store, "LODZ"), vec!["Łódź Logistics"]);
        assert_eq!(find(&store, "%"), Vec::<String>::new());
        assert_eq!(find(&store, "o'b"), vec!["O'Brien Ltd"]);
        let all = find(&store, "");
        assert_eq!(
            all,
            vec![
                "Adatum",
                "Łódź Logistics",
                "O'Brien Ltd",
                "Zoë Ångström-Łukasiewicz AB"
            ]
        );
    }

    #[test]
    fn duplicate_names_are_refused_in_the_form() {
        let (_dir, mut store) = ready();
        store.create_customer(&form("Adatum")).unwrap();
        let err = store.create_customer(&form(" adatum ")).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("name"));
        assert!(err.message.contains("already exists"));
    }

    #[test]
    fn invalid_email_saves_nothing() {
        let (_dir, mut store) = ready();
        let bad = CustomerForm {
            email: "not-an-email".into(),
            ..form("Fabrikam")
        };
        let err = store.create_customer(&bad).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("email"));
        assert_eq!(
            store
                .list_customers(&CustomerQuery::default())
                .unwrap()
                .total,
            0
        );
    }

    #[test]
    fn archive_hides_and_restore_shows() {
        let (_dir, mut store) = ready();
        let c = store.create_customer(&form("Adatum")).unwrap();
        store.set_customer_archived(c.id, true).unwrap();
        assert_eq!(
            store
                .list_customers(&CustomerQuery::default())
                .unwrap()
                .total,
            0
        );
        let q = CustomerQuery {
            archive: ArchiveFilter::Archived,
            ..Default::default()
        };
        assert_eq!(store.list_customers(&q).unwrap().total, 1);
        store.set_customer_archived(c.id, false).unwrap();
        assert_eq!(
            store
                .list_customers(&CustomerQuery::default())
                .unwrap()
                .total,
            1
        );
    }

    #[test]
    fn import_is_all_or_nothing_and_round_trips() {
        let (_dir, mut store) = ready();
        let bad = "name;email\nGood One;a@b.de\nBad One;nope\n";
        let err = store.import_customers(bad.as_bytes()).unwrap_err();
        assert!(err.message.contains("line 3"), "{}", err.message);
        assert_eq!(
            store
                .list_customers(&CustomerQuery::default())
                .unwrap()
                .total,
            0
        );

        let good = "\u{feff}Name;E-mail;Mailbox GB;Notes\r\nMüller & Söhne GmbH;info@mueller.de;312,5;\"two\r\nlines\"\r\n";
        let outcome = store.import_customers(good.as_bytes()).unwrap();
        assert_eq!(outcome.imported, 1);
        let exported = store.export_customers().unwrap();
        let (_dir2, mut other) = ready();
        other.import_customers(&exported).unwrap();
        let a = store
            .list_customers(&CustomerQuery::default())
            .unwrap()
            .customers;
        let b = other
            .list_customers(&CustomerQuery::default())
            .unwrap()
            .customers;
        assert_eq!(a[0].data, b[0].data);
        assert_eq!(a[0].data.notes, "two\r\nlines");
    }
}
