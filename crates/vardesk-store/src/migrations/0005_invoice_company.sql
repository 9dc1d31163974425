-- The company block as it was on the issue date, so an issued invoice renders the same
-- after the profile changes; kept unchangeable like the rest of an issued invoice.
ALTER TABLE invoices ADD COLUMN company_snapshot TEXT;

DROP TRIGGER invoices_issued_stay;
CREATE TRIGGER invoices_issued_stay BEFORE UPDATE ON invoices
WHEN OLD.status <> 'draft' AND NOT (
    OLD.status = 'issued' AND NEW.status = 'void'
    AND NEW.number IS OLD.number AND NEW.issue_date IS OLD.issue_date
    AND NEW.due_date IS OLD.due_date AND NEW.customer_snapshot IS OLD.customer_snapshot
    AND NEW.company_snapshot IS OLD.company_snapshot
    AND NEW.total_minor IS OLD.total_minor AND NEW.customer_id IS OLD.customer_id)
BEGIN
    SELECT RAISE(ABORT, 'An issued invoice cannot be changed.');
END;
