-- A Microsoft licence paid upfront for three years bills its customer once per term
-- (DOMAIN.md §10): a third interval, `triennial`. SQLite cannot change a CHECK in place, so
-- `subscriptions` and `subscription_revisions` are built again with the same columns and
-- rows (foreign keys are checked after the migrations, not during them). No table is
-- renamed: the copies are written back into tables created under the same names.
CREATE TABLE subscriptions_copy AS SELECT * FROM subscriptions;
CREATE TABLE subscription_revisions_copy AS SELECT * FROM subscription_revisions;
DROP TABLE subscription_revisions;
DROP TABLE subscriptions;

CREATE TABLE subscriptions (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    quote_id INTEGER REFERENCES quotes (id),
    catalog_item_id INTEGER REFERENCES catalog_items (id),
    description TEXT NOT NULL,
    currency TEXT NOT NULL CHECK (length(currency) = 3),
    quantity_e4 INTEGER NOT NULL CHECK (quantity_e4 >= 0),
    unit TEXT NOT NULL DEFAULT '',
    unit_price_e4 INTEGER NOT NULL CHECK (unit_price_e4 >= 0),
    unit_cost_e4 INTEGER NOT NULL CHECK (unit_cost_e4 >= 0),
    -- A quote's discount carries over, so billing charges what was quoted.
    discount_e2 INTEGER NOT NULL DEFAULT 0 CHECK (discount_e2 BETWEEN 0 AND 10000),
    tax_rate_e2 INTEGER NOT NULL CHECK (tax_rate_e2 BETWEEN 0 AND 10000),
    -- triennial: once per three-year licence term, paid upfront (§10).
    interval TEXT NOT NULL CHECK (interval IN ('monthly', 'annual', 'triennial')),
    start_date TEXT NOT NULL,
    end_date TEXT CHECK (end_date IS NULL OR end_date >= start_date),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    bill_from TEXT,
    anniversary TEXT,
    term TEXT CHECK (term IS NULL OR term IN ('P1M', 'P1Y', 'P3Y')),
    ms_billing TEXT
        CHECK ((ms_billing IS NULL) = (term IS NULL) AND (ms_billing IS NULL OR ms_billing IN ('monthly', 'annual', 'upfront'))),
    term_start TEXT CHECK ((term_start IS NULL) = (term IS NULL)),
    term_end TEXT
        CHECK ((term_end IS NULL) = (term IS NULL) AND (term_end IS NULL OR term_end >= term_start)),
    auto_renew INTEGER NOT NULL DEFAULT 1 CHECK (auto_renew IN (0, 1)),
    ms_subscription_id TEXT NOT NULL DEFAULT '',
    ms_product_id TEXT NOT NULL DEFAULT '',
    ms_sku_id TEXT NOT NULL DEFAULT '',
    renewal_quantity_e4 INTEGER CHECK (renewal_quantity_e4 IS NULL OR renewal_quantity_e4 >= 0),
    -- Once per term only for a three-year term.
    CHECK (interval <> 'triennial' OR term = 'P3Y')
) STRICT;
INSERT INTO subscriptions SELECT * FROM subscriptions_copy;
DROP TABLE subscriptions_copy;
CREATE INDEX subscriptions_by_customer ON subscriptions (customer_id);
CREATE INDEX subscriptions_by_ms_id ON subscriptions (ms_subscription_id) WHERE ms_subscription_id <> '';

CREATE TABLE subscription_revisions (
    id INTEGER PRIMARY KEY,
    subscription_id INTEGER NOT NULL REFERENCES subscriptions (id),
    changed_on TEXT NOT NULL,
    quantity_e4 INTEGER NOT NULL,
    unit_price_e4 INTEGER NOT NULL,
    discount_e2 INTEGER NOT NULL,
    interval TEXT NOT NULL CHECK (interval IN ('monthly', 'annual', 'triennial'))
) STRICT;
INSERT INTO subscription_revisions SELECT * FROM subscription_revisions_copy;
DROP TABLE subscription_revisions_copy;
CREATE INDEX subscription_revisions_by_subscription
    ON subscription_revisions (subscription_id, changed_on);

CREATE TRIGGER subscription_price_changes AFTER UPDATE ON subscriptions
WHEN OLD.quantity_e4 <> NEW.quantity_e4 OR OLD.unit_price_e4 <> NEW.unit_price_e4
    OR OLD.discount_e2 <> NEW.discount_e2 OR OLD.interval <> NEW.interval
BEGIN
    INSERT INTO subscription_revisions
        (subscription_id, changed_on, quantity_e4, unit_price_e4, discount_e2, interval)
    VALUES (OLD.id, date('now', 'localtime'), OLD.quantity_e4, OLD.unit_price_e4,
        OLD.discount_e2, OLD.interval);
END;
