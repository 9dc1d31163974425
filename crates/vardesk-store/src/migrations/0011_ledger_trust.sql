-- Ledger trust (DOMAIN.md §6.1): cumulative credit notes with stored line amounts and tax
-- rows, fixed-amount credits with a reason, refunds and reversals, numbers lost in a restore.

-- A credit-note line's own amount (the cumulative difference); NULL: the line's §2 net.
ALTER TABLE invoice_lines ADD COLUMN net_minor INTEGER;
-- 1 for a fixed amount credited at a rate (quantity 1, the amount as unit price).
ALTER TABLE invoice_lines ADD COLUMN fixed_amount INTEGER NOT NULL DEFAULT 0
    CHECK (fixed_amount IN (0, 1));
-- Why a credit note was issued, printed on it.
ALTER TABLE invoices ADD COLUMN reason TEXT NOT NULL DEFAULT '';

-- The tax rows as issued: an issued document prints these, never recomputed ones.
CREATE TABLE document_tax_rows (
    invoice_id INTEGER NOT NULL REFERENCES invoices (id),
    rate_e2 INTEGER NOT NULL CHECK (rate_e2 BETWEEN 0 AND 10000),
    base_minor INTEGER NOT NULL,
    tax_minor INTEGER NOT NULL,
    PRIMARY KEY (invoice_id, rate_e2)
) STRICT;

CREATE TRIGGER document_tax_rows_insert BEFORE INSERT ON document_tax_rows
WHEN (SELECT status FROM invoices WHERE id = NEW.invoice_id) IS NOT 'draft'
BEGIN
    SELECT RAISE(ABORT, 'The tax rows of an issued document cannot be changed.');
END;
CREATE TRIGGER document_tax_rows_update BEFORE UPDATE ON document_tax_rows
BEGIN
    SELECT RAISE(ABORT, 'The tax rows of an issued document cannot be changed.');
END;
CREATE TRIGGER document_tax_rows_delete BEFORE DELETE ON document_tax_rows
WHEN (SELECT status FROM invoices WHERE id = OLD.invoice_id) IS NOT 'draft'
BEGIN
    SELECT RAISE(ABORT, 'The tax rows of an issued document cannot be changed.');
END;

-- Payments: refunds are negative, a reversal cancels one earlier payment; none is ever
-- changed or deleted. The table is rebuilt because its old CHECK allowed only amounts > 0.
ALTER TABLE payments RENAME TO payments_before_0011;
CREATE TABLE payments (
    id INTEGER PRIMARY KEY,
    invoice_id INTEGER NOT NULL REFERENCES invoices (id),
    amount_minor INTEGER NOT NULL CHECK (amount_minor <> 0),
    paid_on TEXT NOT NULL,
    method TEXT NOT NULL DEFAULT '',
    reference TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    reverses_payment_id INTEGER REFERENCES payments (id)
) STRICT;
INSERT INTO payments (id, invoice_id, amount_minor, paid_on, method, reference, created_at)
    SELECT id, invoice_id, amount_minor, paid_on, method, reference, created_at
    FROM payments_before_0011;
DROP TABLE payments_before_0011;
CREATE INDEX payments_by_invoice ON payments (invoice_id);
CREATE UNIQUE INDEX payments_reversed_once ON payments (reverses_payment_id)
    WHERE reverses_payment_id IS NOT NULL;

CREATE TRIGGER payments_to_open_invoices BEFORE INSERT ON payments
WHEN (SELECT status FROM invoices WHERE id = NEW.invoice_id AND kind = 'invoice') IS NOT 'issued'
BEGIN
    SELECT RAISE(ABORT, 'A payment goes to an issued invoice that is not void.');
END;

-- Balance before the payment = total − payments − issued credit notes. A payment is at most
-- the balance; a refund (negative, not a reversal) only while the balance is negative and
-- at most what is owed back.
CREATE TRIGGER payments_within_balance BEFORE INSERT ON payments
WHEN NEW.reverses_payment_id IS NULL AND (
    (NEW.amount_minor > 0 AND NEW.amount_minor >
        (SELECT total_minor FROM invoices WHERE id = NEW.invoice_id)
        - (SELECT coalesce(sum(amount_minor), 0) FROM payments WHERE invoice_id = NEW.invoice_id)
        - (SELECT coalesce(sum(total_minor), 0) FROM invoices
           WHERE credited_invoice_id = NEW.invoice_id AND status = 'issued'))
    OR (NEW.amount_minor < 0 AND NEW.amount_minor <
        (SELECT total_minor FROM invoices WHERE id = NEW.invoice_id)
        - (SELECT coalesce(sum(amount_minor), 0) FROM payments WHERE invoice_id = NEW.invoice_id)
        - (SELECT coalesce(sum(total_minor), 0) FROM invoices
           WHERE credited_invoice_id = NEW.invoice_id AND status = 'issued')))
BEGIN
    SELECT RAISE(ABORT, 'A payment cannot exceed the open balance, nor a refund what is owed back.');
END;

CREATE TRIGGER payments_reversal_exact BEFORE INSERT ON payments
WHEN NEW.reverses_payment_id IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM payments o WHERE o.id = NEW.reverses_payment_id
        AND o.invoice_id = NEW.invoice_id AND o.reverses_payment_id IS NULL
        AND o.amount_minor = -NEW.amount_minor)
BEGIN
    SELECT RAISE(ABORT, 'A reversal cancels one earlier payment of the same invoice, in full.');
END;

-- The dashboard's open balances, recomputed for the invoice after every payment (a reversal
-- can open a paid invoice again).
CREATE TRIGGER open_balances_on_payment AFTER INSERT ON payments
BEGIN
    DELETE FROM open_balances WHERE invoice_id = NEW.invoice_id;
    INSERT INTO open_balances (invoice_id, currency, due_date, balance_minor)
    SELECT id, currency, due_date, balance FROM (
        SELECT i.id, i.currency, i.due_date, i.total_minor
            - (SELECT coalesce(sum(amount_minor), 0) FROM payments p WHERE p.invoice_id = i.id)
            - (SELECT coalesce(sum(total_minor), 0) FROM invoices n
               WHERE n.credited_invoice_id = i.id AND n.status = 'issued') AS balance
        FROM invoices i WHERE i.id = NEW.invoice_id AND i.status = 'issued' AND i.kind = 'invoice')
    WHERE balance > 0;
END;

CREATE TRIGGER payments_unchanged BEFORE UPDATE ON payments
BEGIN
    SELECT RAISE(ABORT, 'A payment is never changed: record a reversal instead.');
END;
CREATE TRIGGER payments_kept BEFORE DELETE ON payments
BEGIN
    SELECT RAISE(ABORT, 'A payment is never deleted: record a reversal instead.');
END;

-- Issuing: a draft becomes issued only with its number, dates, snapshots and totals.
CREATE TRIGGER documents_issued_whole BEFORE UPDATE OF status ON invoices
WHEN OLD.status = 'draft' AND NEW.status <> 'draft' AND (
    NEW.status <> 'issued' OR NEW.number IS NULL OR NEW.issue_date IS NULL
    OR NEW.due_date IS NULL OR NEW.customer_snapshot IS NULL OR NEW.company_snapshot IS NULL
    OR NEW.subtotal_minor IS NULL OR NEW.tax_minor IS NULL OR NEW.total_minor IS NULL)
BEGIN
    SELECT RAISE(ABORT, 'A document is issued only with its number, dates, snapshots and totals.');
END;

-- Credit notes: to an issued (not void) invoice, never more in total than the invoice, never
-- more of a line than it holds, only lines of that invoice.
DROP TRIGGER credit_notes_within_invoice;
CREATE TRIGGER credit_notes_within_invoice BEFORE UPDATE OF status ON invoices
WHEN NEW.kind = 'credit_note' AND OLD.status = 'draft' AND NEW.status = 'issued' AND (
    NEW.credited_invoice_id IS NULL
    OR (SELECT status FROM invoices WHERE id = NEW.credited_invoice_id AND kind = 'invoice')
        IS NOT 'issued'
    OR NEW.total_minor < 0
    OR NEW.total_minor
        + (SELECT coalesce(sum(total_minor), 0) FROM invoices
           WHERE credited_invoice_id = NEW.credited_invoice_id AND status = 'issued' AND id <> NEW.id)
        > (SELECT total_minor FROM invoices WHERE id = NEW.credited_invoice_id)
    OR EXISTS (SELECT 1 FROM invoice_lines c WHERE c.invoice_id = NEW.id
        AND c.fixed_amount = 0 AND (c.credited_line_id IS NULL OR c.credited_line_id NOT IN
            (SELECT id FROM invoice_lines WHERE invoice_id = NEW.credited_invoice_id)))
    OR EXISTS (SELECT 1 FROM invoice_lines l WHERE l.invoice_id = NEW.credited_invoice_id
        AND (SELECT coalesce(sum(c.quantity_e4), 0) FROM invoice_lines c
             JOIN invoices n ON n.id = c.invoice_id
             WHERE c.credited_line_id = l.id AND (n.status = 'issued' OR n.id = NEW.id))
            > l.quantity_e4))
BEGIN
    SELECT RAISE(ABORT, 'A credit note cannot give back more than the invoice holds.');
END;

-- Issued documents never change, except an invoice becoming void: credits equal to its total
-- and nothing paid on balance (so the balance is 0).
DROP TRIGGER invoices_issued_stay;

-- The sequence each issued document took its number from, so `check` counts per sequence
-- whatever the template is today. Older documents: the yearly sequence of their issue year
-- when one exists, else the continuous one; values in number order.
ALTER TABLE invoices ADD COLUMN seq_year INTEGER CHECK (seq_year >= 0);
ALTER TABLE invoices ADD COLUMN seq_value INTEGER CHECK (seq_value >= 1);
UPDATE invoices SET seq_year = CASE WHEN EXISTS (SELECT 1 FROM number_sequences s
        WHERE s.name = invoices.kind AND s.year = CAST(substr(invoices.issue_date, 1, 4) AS INTEGER))
    THEN CAST(substr(issue_date, 1, 4) AS INTEGER) ELSE 0 END
WHERE number IS NOT NULL;
UPDATE invoices SET seq_value = (SELECT n FROM (SELECT id, row_number() OVER (
        PARTITION BY kind, seq_year ORDER BY length(number), number, id) AS n
    FROM invoices WHERE number IS NOT NULL) r WHERE r.id = invoices.id)
WHERE number IS NOT NULL;

-- The logo an issued document was issued with (§6: it re-renders as issued), one row per
-- distinct logo. Documents issued before this: the logo of today, frozen now.
CREATE TABLE document_logos (
    id INTEGER PRIMARY KEY,
    bytes BLOB NOT NULL UNIQUE
) STRICT;
ALTER TABLE invoices ADD COLUMN logo_id INTEGER REFERENCES document_logos (id);
INSERT INTO document_logos (bytes)
    SELECT logo FROM settings WHERE id = 1 AND logo IS NOT NULL
        AND EXISTS (SELECT 1 FROM invoices WHERE status <> 'draft');
UPDATE invoices SET logo_id = (SELECT d.id FROM document_logos d
        JOIN settings s ON s.id = 1 AND s.logo = d.bytes)
WHERE status <> 'draft';

CREATE TRIGGER invoices_issued_stay BEFORE UPDATE ON invoices
WHEN OLD.status <> 'draft' AND NOT (
    OLD.status = 'issued' AND NEW.status = 'void' AND OLD.kind = 'invoice'
    AND (SELECT coalesce(sum(total_minor), 0) FROM invoices c
         WHERE c.credited_invoice_id = OLD.id AND c.status = 'issued') = OLD.total_minor
    AND (SELECT coalesce(sum(amount_minor), 0) FROM payments WHERE invoice_id = OLD.id) = 0
    AND NEW.number IS OLD.number AND NEW.issue_date IS OLD.issue_date
    AND NEW.due_date IS OLD.due_date AND NEW.customer_snapshot IS OLD.customer_snapshot
    AND NEW.company_snapshot IS OLD.company_snapshot AND NEW.subtotal_minor IS OLD.subtotal_minor
    AND NEW.tax_minor IS OLD.tax_minor AND NEW.total_minor IS OLD.total_minor
    AND NEW.customer_id IS OLD.customer_id AND NEW.currency IS OLD.currency
    AND NEW.kind IS OLD.kind AND NEW.credited_invoice_id IS OLD.credited_invoice_id
    AND NEW.notes IS OLD.notes AND NEW.period IS OLD.period AND NEW.quote_id IS OLD.quote_id
    AND NEW.reason IS OLD.reason AND NEW.seq_year IS OLD.seq_year
    AND NEW.seq_value IS OLD.seq_value AND NEW.logo_id IS OLD.logo_id)
BEGIN
    SELECT RAISE(ABORT, 'An issued invoice cannot be changed.');
END;

-- Numbers issued in the current file and lost when an older backup was restored: never
-- issued again (the sequences keep their high-water mark), reported by `check` as explained.
CREATE TABLE lost_numbers (
    id INTEGER PRIMARY KEY,
    sequence TEXT NOT NULL CHECK (sequence IN ('quote', 'invoice', 'credit_note')),
    year INTEGER NOT NULL CHECK (year >= 0),
    value INTEGER NOT NULL CHECK (value >= 1),
    number TEXT NOT NULL,
    customer TEXT NOT NULL DEFAULT '',
    total TEXT NOT NULL DEFAULT '',
    lost_on TEXT NOT NULL,
    kept_in TEXT NOT NULL,
    UNIQUE (sequence, year, value)
) STRICT;

-- Subscription changes never re-bill or skip a period (§6.1): monthly billing after an annual
-- → monthly switch starts when the billed year ends (bill_from); an annual year after a
-- monthly → annual switch starts at the first unbilled month (anniversary). YYYY-MM-DD.
ALTER TABLE subscriptions ADD COLUMN bill_from TEXT;
ALTER TABLE subscriptions ADD COLUMN anniversary TEXT;
