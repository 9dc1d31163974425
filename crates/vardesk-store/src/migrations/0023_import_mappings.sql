-- Column mappings saved by name (DOMAIN.md §11): offered again for a file with the same
-- header line. `choices` is a JSON object, header → field or null.
CREATE TABLE import_mappings (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('customers', 'open_invoices', 'subscriptions')),
    name TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 100),
    header_key TEXT NOT NULL,
    choices TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (kind, name)
) STRICT;
CREATE INDEX import_mappings_by_header ON import_mappings (kind, header_key);
