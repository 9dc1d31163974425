-- VAT treatment (DOMAIN.md §9): the customer's VAT ID, treatment, buyer reference, Peppol id
-- and document language; goods or services on catalog items and lines; each issued line's
-- EN 16931 category; the company's small-business exemption; tax rows per (rate, category).

ALTER TABLE customers ADD COLUMN vat_id TEXT NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN tax_treatment TEXT NOT NULL DEFAULT 'auto'
    CHECK (tax_treatment IN ('auto', 'domestic', 'reverse_charge', 'outside_eu', 'exempt'));
ALTER TABLE customers ADD COLUMN exemption_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN buyer_reference TEXT NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN peppol_id TEXT NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN language TEXT NOT NULL DEFAULT '';

ALTER TABLE settings ADD COLUMN small_business INTEGER NOT NULL DEFAULT 0
    CHECK (small_business IN (0, 1));

ALTER TABLE catalog_items ADD COLUMN goods INTEGER NOT NULL DEFAULT 0 CHECK (goods IN (0, 1));
ALTER TABLE quote_lines ADD COLUMN goods INTEGER NOT NULL DEFAULT 0 CHECK (goods IN (0, 1));
ALTER TABLE invoice_lines ADD COLUMN goods INTEGER NOT NULL DEFAULT 0 CHECK (goods IN (0, 1));
-- Fixed at issue; NULL on drafts and on lines issued before: domestic at the line's rate.
ALTER TABLE invoice_lines ADD COLUMN tax_category TEXT
    CHECK (tax_category IN ('S', 'Z', 'AE', 'K', 'O', 'G', 'E'));

-- The customer's treatment as it was chosen when the document was issued, and the reason of
-- an exempt one (printed, and carried into the e-invoice).
ALTER TABLE invoices ADD COLUMN tax_treatment TEXT
    CHECK (tax_treatment IN ('auto', 'domestic', 'reverse_charge', 'outside_eu', 'exempt'));
ALTER TABLE invoices ADD COLUMN exemption_reason TEXT NOT NULL DEFAULT '';

-- Tax rows keyed by rate and category: a reverse-charge document can hold AE (services) and
-- K (goods) rows, both at 0 %.
ALTER TABLE document_tax_rows RENAME TO document_tax_rows_before_0013;
CREATE TABLE document_tax_rows (
    invoice_id INTEGER NOT NULL REFERENCES invoices (id),
    rate_e2 INTEGER NOT NULL CHECK (rate_e2 BETWEEN 0 AND 10000),
    category TEXT NOT NULL CHECK (category IN ('S', 'Z', 'AE', 'K', 'O', 'G', 'E')),
    base_minor INTEGER NOT NULL,
    tax_minor INTEGER NOT NULL,
    PRIMARY KEY (invoice_id, rate_e2, category)
) STRICT;
INSERT INTO document_tax_rows (invoice_id, rate_e2, category, base_minor, tax_minor)
    SELECT invoice_id, rate_e2, CASE rate_e2 WHEN 0 THEN 'Z' ELSE 'S' END, base_minor, tax_minor
    FROM document_tax_rows_before_0013;
DROP TABLE document_tax_rows_before_0013;

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

-- An issued document's treatment never changes.
CREATE TRIGGER invoices_treatment_fixed BEFORE UPDATE OF tax_treatment, exemption_reason ON invoices
WHEN OLD.status <> 'draft' AND (NEW.tax_treatment IS NOT OLD.tax_treatment
    OR NEW.exemption_reason IS NOT OLD.exemption_reason)
BEGIN
    SELECT RAISE(ABORT, 'The tax treatment of an issued document cannot be changed.');
END;
