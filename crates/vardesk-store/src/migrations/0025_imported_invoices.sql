-- Open invoices from the previous system (DOMAIN.md §11): issued documents with the old
-- tool's number (outside VarDesk's series), total and what was paid there, no lines. They
-- count in receivables, overdue and reminders and take payments; they are never printed
-- or credited as VarDesk invoices.
ALTER TABLE invoices ADD COLUMN imported INTEGER NOT NULL DEFAULT 0 CHECK (imported IN (0, 1));

-- Whether a document was imported is fixed when it is issued: an issued VarDesk invoice
-- cannot pass for an imported one (which `check` does not add up), nor the reverse.
CREATE TRIGGER invoices_imported_fixed BEFORE UPDATE OF imported ON invoices
WHEN OLD.status <> 'draft' AND NEW.imported IS NOT OLD.imported
BEGIN
    SELECT RAISE(ABORT, 'Whether an invoice was imported never changes once it is issued.');
END;
