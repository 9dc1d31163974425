-- Open invoices from the previous system (DOMAIN.md §11): issued documents with the old
-- tool's number (outside VarDesk's series), total and what was paid there, no lines. They
-- count in receivables, overdue and reminders and take payments; they are never printed
-- or credited as VarDesk invoices.
ALTER TABLE invoices ADD COLUMN imported INTEGER NOT NULL DEFAULT 0 CHECK (imported IN (0, 1));
