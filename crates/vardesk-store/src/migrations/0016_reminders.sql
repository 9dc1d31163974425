-- Payment reminders (issue #16): one letter per customer and currency, its level (1 first,
-- 2 second, 3 final), fee and interest rate, and the overdue invoices it listed with what was
-- open and the interest asked, as printed (a reprint reads the same).
CREATE TABLE reminders (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    currency TEXT NOT NULL,
    level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 3),
    reminded_on TEXT NOT NULL,
    pay_by TEXT NOT NULL,
    fee_minor INTEGER NOT NULL CHECK (fee_minor >= 0),
    interest_e2 INTEGER NOT NULL CHECK (interest_e2 BETWEEN 0 AND 3000),
    created_at TEXT NOT NULL
) STRICT;
CREATE TABLE reminder_invoices (
    reminder_id INTEGER NOT NULL REFERENCES reminders(id),
    invoice_id INTEGER NOT NULL REFERENCES invoices(id),
    position INTEGER NOT NULL,
    open_minor INTEGER NOT NULL,
    interest_minor INTEGER NOT NULL,
    days_overdue INTEGER NOT NULL,
    PRIMARY KEY (reminder_id, invoice_id)
) STRICT;
CREATE INDEX reminder_invoices_by_invoice ON reminder_invoices(invoice_id);
-- A reminder is a record of what was asked: it is never edited or removed.
CREATE TRIGGER reminders_stay BEFORE UPDATE ON reminders
BEGIN SELECT RAISE(ABORT, 'a reminder is kept as it was written'); END;
CREATE TRIGGER reminders_not_deleted BEFORE DELETE ON reminders
BEGIN SELECT RAISE(ABORT, 'a reminder is kept as it was written'); END;
CREATE TRIGGER reminder_invoices_stay BEFORE UPDATE ON reminder_invoices
BEGIN SELECT RAISE(ABORT, 'a reminder is kept as it was written'); END;
CREATE TRIGGER reminder_invoices_not_deleted BEFORE DELETE ON reminder_invoices
BEGIN SELECT RAISE(ABORT, 'a reminder is kept as it was written'); END;
