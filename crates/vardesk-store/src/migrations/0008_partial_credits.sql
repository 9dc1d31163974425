-- Partial credit notes: an invoice can be corrected by several credit notes, each giving
-- back chosen lines and quantities; a credit-note line names the invoice line it gives back.
-- The database itself keeps credits and payments within what the invoice is worth.
DROP INDEX credit_notes_one_per_invoice;
CREATE INDEX credit_notes_by_invoice ON invoices (credited_invoice_id)
    WHERE credited_invoice_id IS NOT NULL;

ALTER TABLE invoice_lines ADD COLUMN credited_line_id INTEGER REFERENCES invoice_lines (id);
CREATE INDEX invoice_lines_by_credited_line ON invoice_lines (credited_line_id)
    WHERE credited_line_id IS NOT NULL;

CREATE INDEX invoices_by_status ON invoices (status, kind);

-- Issuing a credit note: all credits plus all payments stay within the invoice's total.
CREATE TRIGGER credit_notes_within_invoice BEFORE UPDATE OF status ON invoices
WHEN NEW.kind = 'credit_note' AND OLD.status = 'draft' AND NEW.status = 'issued'
    AND NEW.total_minor
        + (SELECT coalesce(sum(total_minor), 0) FROM invoices
           WHERE credited_invoice_id = NEW.credited_invoice_id AND status = 'issued' AND id <> NEW.id)
        + (SELECT coalesce(sum(amount_minor), 0) FROM payments WHERE invoice_id = NEW.credited_invoice_id)
        > (SELECT total_minor FROM invoices WHERE id = NEW.credited_invoice_id AND status = 'issued')
BEGIN
    SELECT RAISE(ABORT, 'A credit note cannot give back more than the open balance of the invoice.');
END;

-- A payment goes to an issued invoice and never exceeds its open balance.
CREATE TRIGGER payments_within_balance BEFORE INSERT ON payments
WHEN (SELECT status FROM invoices WHERE id = NEW.invoice_id AND kind = 'invoice') IS NOT 'issued'
    OR NEW.amount_minor
        + (SELECT coalesce(sum(amount_minor), 0) FROM payments WHERE invoice_id = NEW.invoice_id)
        + (SELECT coalesce(sum(total_minor), 0) FROM invoices
           WHERE credited_invoice_id = NEW.invoice_id AND status = 'issued')
        > (SELECT total_minor FROM invoices WHERE id = NEW.invoice_id)
BEGIN
    SELECT RAISE(ABORT, 'A payment cannot exceed the open balance of an issued invoice.');
END;

