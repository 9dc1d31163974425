-- The company's legal details (DOMAIN.md §9 parties): national tax number, legal
-- registration, managing directors, a contact person and the electronic address.
ALTER TABLE settings ADD COLUMN tax_number TEXT NOT NULL DEFAULT '';
ALTER TABLE settings ADD COLUMN legal_registration TEXT NOT NULL DEFAULT '';
ALTER TABLE settings ADD COLUMN managing_directors TEXT NOT NULL DEFAULT '';
ALTER TABLE settings ADD COLUMN contact_name TEXT NOT NULL DEFAULT '';
ALTER TABLE settings ADD COLUMN electronic_address TEXT NOT NULL DEFAULT '';
