-- What every new quote starts with (issue #16): how many days it is valid, and its terms.
ALTER TABLE settings ADD COLUMN quote_validity_days INTEGER NOT NULL DEFAULT 30
    CHECK (quote_validity_days BETWEEN 1 AND 365);
ALTER TABLE settings ADD COLUMN quote_terms TEXT NOT NULL DEFAULT '';
