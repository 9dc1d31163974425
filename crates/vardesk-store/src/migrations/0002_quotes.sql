-- Quotes with their lines and estimator inputs, subscriptions, and draft invoices (the
-- billing migration extends invoices with numbers, dates and snapshots).

-- Gapless counters: one row per sequence and year (year 0 when the template has no {YYYY}).
CREATE TABLE number_sequences (
    name TEXT NOT NULL CHECK (name IN ('quote', 'invoice', 'credit_note')),
    year INTEGER NOT NULL CHECK (year >= 0),
    last_value INTEGER NOT NULL CHECK (last_value >= 0),
    PRIMARY KEY (name, year)
) STRICT;

CREATE TABLE quotes (
    id INTEGER PRIMARY KEY,
    -- Q-2026-0001: shared by every version of the quote.
    number TEXT NOT NULL,
    version INTEGER NOT NULL CHECK (version >= 1),
    parent_id INTEGER REFERENCES quotes (id),
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    currency TEXT NOT NULL CHECK (length(currency) = 3),
    title TEXT NOT NULL CHECK (length(trim(title)) > 0),
    status TEXT NOT NULL CHECK (status IN ('draft', 'sent', 'accepted', 'declined', 'superseded')),
    quote_date TEXT NOT NULL,
    valid_until TEXT NOT NULL CHECK (valid_until >= quote_date),
    term_months INTEGER NOT NULL CHECK (term_months BETWEEN 1 AND 120),
    win_probability_e2 INTEGER NOT NULL CHECK (win_probability_e2 BETWEEN 0 AND 10000),
    -- First day of the month the recurring services start.
    expected_start TEXT NOT NULL,
    -- The estimator's inputs (JSON), NULL when the quote has no estimate.
    estimator_inputs TEXT,
    -- The coefficients this quote was estimated with (JSON): later changes to the defaults
    -- never change an existing quote.
    coefficients TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    terms TEXT NOT NULL DEFAULT '',
    sent_at TEXT,
    decided_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (number, version)
) STRICT;

CREATE INDEX quotes_by_customer ON quotes (customer_id);

CREATE TABLE quote_lines (
    id INTEGER PRIMARY KEY,
    quote_id INTEGER NOT NULL REFERENCES quotes (id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position >= 0),
    kind TEXT NOT NULL CHECK (kind IN ('one_time', 'monthly', 'annual')),
    source TEXT NOT NULL CHECK (source IN ('estimate', 'catalog', 'manual')),
    description TEXT NOT NULL,
    quantity_e4 INTEGER NOT NULL CHECK (quantity_e4 >= 0),
    unit TEXT NOT NULL DEFAULT '',
    unit_price_e4 INTEGER NOT NULL CHECK (unit_price_e4 >= 0),
    unit_cost_e4 INTEGER NOT NULL CHECK (unit_cost_e4 >= 0),
    discount_e2 INTEGER NOT NULL CHECK (discount_e2 BETWEEN 0 AND 10000),
    tax_rate_e2 INTEGER NOT NULL CHECK (tax_rate_e2 BETWEEN 0 AND 10000),
    catalog_item_id INTEGER REFERENCES catalog_items (id),
    UNIQUE (quote_id, position)
) STRICT;

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
    interval TEXT NOT NULL CHECK (interval IN ('monthly', 'annual')),
    start_date TEXT NOT NULL,
    end_date TEXT CHECK (end_date IS NULL OR end_date >= start_date),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

CREATE INDEX subscriptions_by_customer ON subscriptions (customer_id);

CREATE TABLE invoices (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    quote_id INTEGER REFERENCES quotes (id),
    status TEXT NOT NULL CHECK (status IN ('draft', 'issued', 'void')),
    currency TEXT NOT NULL CHECK (length(currency) = 3),
    notes TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

-- One draft invoice per accepted quote.
CREATE UNIQUE INDEX invoices_one_per_quote ON invoices (quote_id) WHERE quote_id IS NOT NULL;

CREATE TABLE invoice_lines (
    id INTEGER PRIMARY KEY,
    invoice_id INTEGER NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position >= 0),
    description TEXT NOT NULL,
    quantity_e4 INTEGER NOT NULL CHECK (quantity_e4 >= 0),
    unit TEXT NOT NULL DEFAULT '',
    unit_price_e4 INTEGER NOT NULL CHECK (unit_price_e4 >= 0),
    unit_cost_e4 INTEGER NOT NULL DEFAULT 0 CHECK (unit_cost_e4 >= 0),
    discount_e2 INTEGER NOT NULL DEFAULT 0 CHECK (discount_e2 BETWEEN 0 AND 10000),
    tax_rate_e2 INTEGER NOT NULL CHECK (tax_rate_e2 BETWEEN 0 AND 10000),
    UNIQUE (invoice_id, position)
) STRICT;
