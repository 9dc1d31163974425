-- The moving-in checklist (DOMAIN.md §11): what each step did in these books ("Imported 12
-- customers.", "Skipped."), so the list says it again next time and in no other books.
CREATE TABLE moving_in_steps (
    step TEXT PRIMARY KEY CHECK (step IN ('customers', 'numbering', 'open_invoices', 'subscriptions', 'billing')),
    said TEXT NOT NULL CHECK (length(said) BETWEEN 1 AND 300),
    at TEXT NOT NULL
) STRICT;
