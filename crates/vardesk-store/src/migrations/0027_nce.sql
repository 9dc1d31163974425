-- NCE: Microsoft licences under new commerce (DOMAIN.md §10).

-- Catalog items marked as Microsoft licences; a price-list item is one product/SKU at one
-- term and billing frequency.
ALTER TABLE catalog_items ADD COLUMN ms_licence INTEGER NOT NULL DEFAULT 0 CHECK (ms_licence IN (0, 1));
ALTER TABLE catalog_items ADD COLUMN ms_product_id TEXT NOT NULL DEFAULT '';
ALTER TABLE catalog_items ADD COLUMN ms_sku_id TEXT NOT NULL DEFAULT '';
ALTER TABLE catalog_items ADD COLUMN term TEXT CHECK (term IS NULL OR term IN ('P1M', 'P1Y', 'P3Y'));
ALTER TABLE catalog_items ADD COLUMN ms_billing TEXT
    CHECK (ms_billing IS NULL OR ms_billing IN ('monthly', 'annual', 'upfront'));

-- The customer's Microsoft tenant: how a distributor's bill names the customer.
ALTER TABLE customers ADD COLUMN tenant_id TEXT NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN tenant_domain TEXT NOT NULL DEFAULT '';

-- A licence subscription's current term (start, end), what it costs the partner for that
-- term (unit_cost_e4, locked until renewal), what changes at renewal, and Microsoft's ids.
ALTER TABLE subscriptions ADD COLUMN term TEXT CHECK (term IS NULL OR term IN ('P1M', 'P1Y', 'P3Y'));
ALTER TABLE subscriptions ADD COLUMN ms_billing TEXT
    CHECK ((ms_billing IS NULL) = (term IS NULL) AND (ms_billing IS NULL OR ms_billing IN ('monthly', 'annual', 'upfront')));
ALTER TABLE subscriptions ADD COLUMN term_start TEXT CHECK ((term_start IS NULL) = (term IS NULL));
ALTER TABLE subscriptions ADD COLUMN term_end TEXT
    CHECK ((term_end IS NULL) = (term IS NULL) AND (term_end IS NULL OR term_end >= term_start));
ALTER TABLE subscriptions ADD COLUMN auto_renew INTEGER NOT NULL DEFAULT 1 CHECK (auto_renew IN (0, 1));
ALTER TABLE subscriptions ADD COLUMN ms_subscription_id TEXT NOT NULL DEFAULT '';
ALTER TABLE subscriptions ADD COLUMN ms_product_id TEXT NOT NULL DEFAULT '';
ALTER TABLE subscriptions ADD COLUMN ms_sku_id TEXT NOT NULL DEFAULT '';
ALTER TABLE subscriptions ADD COLUMN renewal_quantity_e4 INTEGER CHECK (renewal_quantity_e4 IS NULL OR renewal_quantity_e4 >= 0);
CREATE INDEX subscriptions_by_ms_id ON subscriptions (ms_subscription_id) WHERE ms_subscription_id <> '';

-- Existing Microsoft licences (catalog items named as Microsoft names its products) become
-- licence subscriptions in the migration's hook: monthly → P1M billed monthly, annual → P1Y
-- billed annually, the term starting on the subscription's start (renewals roll it on).
UPDATE catalog_items SET ms_licence = 1
WHERE kind IN ('monthly', 'annual')
  AND (name LIKE 'Microsoft %' OR name LIKE 'Office 365 %' OR name LIKE 'Exchange Online%'
       OR name LIKE 'Dynamics 365 %' OR name LIKE 'Power BI %' OR name LIKE 'Project Plan%'
       OR name LIKE 'Visio Plan%');

-- Column mappings for the price list and the distributor's bill.
CREATE TABLE import_mappings_new (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('customers', 'open_invoices', 'subscriptions', 'price_list', 'reconciliation')),
    name TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 100),
    header_key TEXT NOT NULL,
    choices TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (kind, name)
) STRICT;
INSERT INTO import_mappings_new SELECT * FROM import_mappings;
DROP TABLE import_mappings;
ALTER TABLE import_mappings_new RENAME TO import_mappings;
CREATE INDEX import_mappings_by_header ON import_mappings (kind, header_key);
