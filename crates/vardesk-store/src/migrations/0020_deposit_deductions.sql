-- Deposits per DOMAIN.md §6.1: the final invoice lists the quote's one-time lines and then
-- one deduction line per deposit invoice and tax rate. A deduction line is stored like any
-- line (quantity 1, the deposit's net as unit price) and counts negatively: the sign lives
-- here, so the table's "no negative quantity" check stays. Deleting the deposit's draft
-- removes its deductions from the (still draft) final invoice.
ALTER TABLE invoice_lines ADD COLUMN deducts_invoice_id INTEGER
    REFERENCES invoices (id) ON DELETE CASCADE;
CREATE INDEX invoice_lines_by_deducted ON invoice_lines (deducts_invoice_id)
    WHERE deducts_invoice_id IS NOT NULL;
