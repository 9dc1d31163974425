-- Billing: issued invoices (number, dates, customer snapshot, totals), billed periods,
-- payments, and triggers that keep issued invoices as they were issued.

ALTER TABLE invoices ADD COLUMN number TEXT;
ALTER TABLE invoices ADD COLUMN issue_date TEXT;
ALTER TABLE invoices ADD COLUMN due_date TEXT;
-- The customer as it was on the issue date (JSON: name, address lines, tax id).
ALTER TABLE invoices ADD COLUMN customer_snapshot TEXT;
ALTER TABLE invoices ADD COLUMN subtotal_minor INTEGER;
ALTER TABLE invoices ADD COLUMN tax_minor INTEGER;
ALTER TABLE invoices ADD COLUMN total_minor INTEGER;
-- The month a billing run made this draft for (YYYY-MM), NULL otherwise.
ALTER TABLE invoices ADD COLUMN period TEXT;

CREATE UNIQUE INDEX invoices_by_number ON invoices (number) WHERE number IS NOT NULL;

ALTER TABLE invoice_lines ADD COLUMN subscription_id INTEGER REFERENCES subscriptions (id);
ALTER TABLE invoice_lines ADD COLUMN period TEXT;

-- A subscription is billed at most once per period.
CREATE UNIQUE INDEX invoice_lines_billed_once ON invoice_lines (subscription_id, period)
    WHERE subscription_id IS NOT NULL;

CREATE TABLE payments (
    id INTEGER PRIMARY KEY,
    invoice_id INTEGER NOT NULL REFERENCES invoices (id),
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    paid_on TEXT NOT NULL,
    method TEXT NOT NULL DEFAULT '',
    reference TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
) STRICT;

CREATE INDEX payments_by_invoice ON payments (invoice_id);

-- Issued invoices never change, except issued → void; they are never deleted.
CREATE TRIGGER invoices_issued_stay BEFORE UPDATE ON invoices
WHEN OLD.status <> 'draft' AND NOT (
    OLD.status = 'issued' AND NEW.status = 'void'
    AND NEW.number IS OLD.number AND NEW.issue_date IS OLD.issue_date
    AND NEW.due_date IS OLD.due_date AND NEW.customer_snapshot IS OLD.customer_snapshot
    AND NEW.total_minor IS OLD.total_minor AND NEW.customer_id IS OLD.customer_id)
BEGIN
    SELECT RAISE(ABORT, 'An issued invoice cannot be changed.');
END;

CREATE TRIGGER invoices_issued_kept BEFORE DELETE ON invoices
WHEN OLD.status <> 'draft'
BEGIN
    SELECT RAISE(ABORT, 'An issued invoice cannot be deleted.');
END;

CREATE TRIGGER invoice_lines_issued_insert BEFORE INSERT ON invoice_lines
WHEN (SELECT status FROM invoices WHERE id = NEW.invoice_id) <> 'draft'
BEGIN
    SELECT RAISE(ABORT, 'The lines of an issued invoice cannot be changed.');
END;

CREATE TRIGGER invoice_lines_issued_update BEFORE UPDATE ON invoice_lines
WHEN (SELECT status FROM invoices WHERE id = OLD.invoice_id) <> 'draft'
BEGIN
    SELECT RAISE(ABORT, 'The lines of an issued invoice cannot be changed.');
END;

CREATE TRIGGER invoice_lines_issued_delete BEFORE DELETE ON invoice_lines
WHEN (SELECT status FROM invoices WHERE id = OLD.invoice_id) <> 'draft'
BEGIN
    SELECT RAISE(ABORT, 'The lines of an issued invoice cannot be changed.');
END;
