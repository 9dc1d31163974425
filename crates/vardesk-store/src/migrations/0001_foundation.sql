-- Foundation: company profile and settings, customers with their environment, catalog.
-- Money and quantities are scaled integers: *_minor in the currency's minor units,
-- *_e4 with 4 decimals (unit prices), *_e2 with 2 decimals (percent, GB).

CREATE TABLE settings (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    company_name TEXT NOT NULL CHECK (length(trim(company_name)) > 0),
    address_line1 TEXT NOT NULL DEFAULT '',
    address_line2 TEXT NOT NULL DEFAULT '',
    postal_code TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL DEFAULT '',
    country TEXT NOT NULL DEFAULT '',
    tax_id TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    bank_name TEXT NOT NULL DEFAULT '',
    iban TEXT NOT NULL DEFAULT '',
    bic TEXT NOT NULL DEFAULT '',
    default_currency TEXT NOT NULL CHECK (length(default_currency) = 3),
    locale TEXT NOT NULL,
    default_tax_rate_e2 INTEGER NOT NULL CHECK (default_tax_rate_e2 BETWEEN 0 AND 10000),
    payment_terms_days INTEGER NOT NULL CHECK (payment_terms_days BETWEEN 0 AND 365),
    invoice_number_template TEXT NOT NULL,
    credit_note_number_template TEXT NOT NULL,
    paper_size TEXT NOT NULL CHECK (paper_size IN ('A4', 'Letter')),
    churn_e2 INTEGER NOT NULL CHECK (churn_e2 BETWEEN 0 AND 10000),
    estimator_coefficients TEXT NOT NULL,
    sample_data_answered INTEGER NOT NULL DEFAULT 0 CHECK (sample_data_answered IN (0, 1)),
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE customers (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 200),
    -- lower(trim(name)): two customers never share a name.
    name_key TEXT NOT NULL UNIQUE,
    -- Accent- and case-folded name, for sorting the way people read.
    name_fold TEXT NOT NULL,
    -- Folded name, contact, e-mail, phone, city, postal code and tax id: search as you type.
    search_text TEXT NOT NULL,
    contact_name TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    address_line1 TEXT NOT NULL DEFAULT '',
    address_line2 TEXT NOT NULL DEFAULT '',
    postal_code TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL DEFAULT '',
    country TEXT NOT NULL DEFAULT '',
    tax_id TEXT NOT NULL DEFAULT '',
    currency TEXT NOT NULL CHECK (length(currency) = 3),
    payment_terms_days INTEGER NOT NULL CHECK (payment_terms_days BETWEEN 0 AND 365),
    status TEXT NOT NULL CHECK (status IN ('prospect', 'active', 'former')),
    notes TEXT NOT NULL DEFAULT '',
    mail_platform TEXT CHECK (mail_platform IN
        ('exchange_hybrid', 'exchange_cutover', 'google_workspace', 'imap', 'other')),
    mailboxes INTEGER CHECK (mailboxes >= 0),
    shared_mailboxes INTEGER CHECK (shared_mailboxes >= 0),
    pcs INTEGER CHECK (pcs >= 0),
    phones INTEGER CHECK (phones >= 0),
    sites INTEGER CHECK (sites >= 0),
    mailbox_gb_e2 INTEGER CHECK (mailbox_gb_e2 >= 0),
    archive_gb_e2 INTEGER CHECK (archive_gb_e2 >= 0),
    public_folder_gb_e2 INTEGER CHECK (public_folder_gb_e2 >= 0),
    file_gb_e2 INTEGER CHECK (file_gb_e2 >= 0),
    archived_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

CREATE INDEX customers_by_name ON customers (name_fold);

CREATE TABLE catalog_items (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('one_time', 'monthly', 'annual')),
    sku TEXT NOT NULL UNIQUE CHECK (length(trim(sku)) > 0),
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    unit TEXT NOT NULL,
    currency TEXT NOT NULL CHECK (length(currency) = 3),
    price_e4 INTEGER NOT NULL CHECK (price_e4 >= 0),
    cost_e4 INTEGER NOT NULL CHECK (cost_e4 >= 0),
    tax_rate_e2 INTEGER NOT NULL CHECK (tax_rate_e2 BETWEEN 0 AND 10000),
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
