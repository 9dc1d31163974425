-- A draft invoice can wait for a date (issue #16): the rest of a project after its deposit
-- is invoiced on completion. Shown and offered for issuing from that date; YYYY-MM-DD.
ALTER TABLE invoices ADD COLUMN scheduled_on TEXT;
-- An accepted quote may now have a deposit invoice and the rest: still one invoice per quote
-- and date, so accepting twice can never invoice a project twice.
DROP INDEX invoices_one_per_quote;
CREATE UNIQUE INDEX invoices_per_quote_part ON invoices (quote_id, coalesce(scheduled_on, ''))
    WHERE quote_id IS NOT NULL;
