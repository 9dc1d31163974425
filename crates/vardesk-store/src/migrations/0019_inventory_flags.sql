-- The risk flags of the mailbox inventory a quote's estimate was filled from (issue #16),
-- as JSON, so they show again when the quote is reopened.
ALTER TABLE quotes ADD COLUMN inventory_flags TEXT NOT NULL DEFAULT '[]';
