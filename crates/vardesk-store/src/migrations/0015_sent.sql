-- Documents handed to the mail app with Send… (issue #16): when, and to which address. An
-- issued invoice never changes, so its sends are rows of their own.
CREATE TABLE document_sends (
    id INTEGER PRIMARY KEY,
    invoice_id INTEGER REFERENCES invoices(id),
    quote_id INTEGER REFERENCES quotes(id),
    sent_at TEXT NOT NULL,
    to_address TEXT NOT NULL,
    CHECK ((invoice_id IS NULL) <> (quote_id IS NULL))
) STRICT;
CREATE INDEX document_sends_by_invoice ON document_sends(invoice_id);
CREATE INDEX document_sends_by_quote ON document_sends(quote_id);
