-- Tighter guards for issued documents: a line cannot be moved onto an issued invoice, and
-- an issued invoice becomes void only through a credit note that credits it, changing
-- nothing else. Credit notes are never voided.
DROP TRIGGER invoice_lines_issued_update;
CREATE TRIGGER invoice_lines_issued_update BEFORE UPDATE ON invoice_lines
WHEN (SELECT status FROM invoices WHERE id = OLD.invoice_id) <> 'draft'
    OR (SELECT status FROM invoices WHERE id = NEW.invoice_id) <> 'draft'
BEGIN
    SELECT RAISE(ABORT, 'The lines of an issued invoice cannot be changed.');
END;

DROP TRIGGER invoices_issued_stay;
CREATE TRIGGER invoices_issued_stay BEFORE UPDATE ON invoices
WHEN OLD.status <> 'draft' AND NOT (
    OLD.status = 'issued' AND NEW.status = 'void' AND OLD.kind = 'invoice'
    AND EXISTS (SELECT 1 FROM invoices c WHERE c.credited_invoice_id = OLD.id AND c.status = 'issued')
    AND NEW.number IS OLD.number AND NEW.issue_date IS OLD.issue_date
    AND NEW.due_date IS OLD.due_date AND NEW.customer_snapshot IS OLD.customer_snapshot
    AND NEW.company_snapshot IS OLD.company_snapshot AND NEW.subtotal_minor IS OLD.subtotal_minor
    AND NEW.tax_minor IS OLD.tax_minor AND NEW.total_minor IS OLD.total_minor
    AND NEW.customer_id IS OLD.customer_id AND NEW.currency IS OLD.currency
    AND NEW.kind IS OLD.kind AND NEW.credited_invoice_id IS OLD.credited_invoice_id
    AND NEW.notes IS OLD.notes AND NEW.period IS OLD.period AND NEW.quote_id IS OLD.quote_id)
BEGIN
    SELECT RAISE(ABORT, 'An issued invoice cannot be changed.');
END;
