-- Seats added to a Microsoft licence (DOMAIN.md §10): each batch has its own 7-day window
-- and, when it came after its billing period started (or after that period was billed), its
-- own prorated line on the next invoice.
CREATE TABLE seat_batches (
    id INTEGER PRIMARY KEY,
    subscription_id INTEGER NOT NULL REFERENCES subscriptions (id),
    bought_on TEXT NOT NULL,
    quantity_e4 INTEGER NOT NULL CHECK (quantity_e4 > 0),
    -- Removed again within the window.
    removed_e4 INTEGER NOT NULL DEFAULT 0 CHECK (removed_e4 BETWEEN 0 AND quantity_e4),
    -- 1: billed by its own prorated line; 0: the period's regular line includes it.
    own_line INTEGER NOT NULL CHECK (own_line IN (0, 1)),
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX seat_batches_by_subscription ON seat_batches (subscription_id, bought_on);

-- The prorated line that bills a batch: once.
ALTER TABLE invoice_lines ADD COLUMN seat_batch_id INTEGER REFERENCES seat_batches (id);
CREATE UNIQUE INDEX invoice_lines_batch_billed_once ON invoice_lines (seat_batch_id)
    WHERE seat_batch_id IS NOT NULL;
