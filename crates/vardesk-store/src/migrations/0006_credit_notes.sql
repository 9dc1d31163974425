-- Credit notes live beside invoices, with their own number sequence and a reference to the
-- invoice they correct.
ALTER TABLE invoices ADD COLUMN kind TEXT NOT NULL DEFAULT 'invoice'
    CHECK (kind IN ('invoice', 'credit_note'));
ALTER TABLE invoices ADD COLUMN credited_invoice_id INTEGER REFERENCES invoices (id);

-- An invoice is credited in full at most once.
CREATE UNIQUE INDEX credit_notes_one_per_invoice ON invoices (credited_invoice_id)
    WHERE credited_invoice_id IS NOT NULL;
