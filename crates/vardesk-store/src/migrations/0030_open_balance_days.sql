-- The dashboard's receivables per currency and due date, kept by triggers on open_balances
-- (however an open balance changes: issue, payment, credit, reversal, import, void), so the
-- home screen adds up a row per due date instead of one per open invoice.
CREATE TABLE open_balance_days (
    currency TEXT NOT NULL,
    due_date TEXT NOT NULL,
    balance_minor INTEGER NOT NULL,
    invoices INTEGER NOT NULL CHECK (invoices > 0),
    PRIMARY KEY (currency, due_date)
) STRICT, WITHOUT ROWID;

INSERT INTO open_balance_days (currency, due_date, balance_minor, invoices)
SELECT currency, due_date, sum(balance_minor), count(*) FROM open_balances
GROUP BY currency, due_date;

CREATE TRIGGER open_balance_days_on_insert AFTER INSERT ON open_balances
BEGIN
    INSERT INTO open_balance_days (currency, due_date, balance_minor, invoices)
    VALUES (NEW.currency, NEW.due_date, NEW.balance_minor, 1)
    ON CONFLICT (currency, due_date) DO UPDATE
    SET balance_minor = balance_minor + excluded.balance_minor, invoices = invoices + 1;
END;

CREATE TRIGGER open_balance_days_on_delete AFTER DELETE ON open_balances
BEGIN
    -- The last invoice of its day goes with its row; otherwise the day's row loses it.
    DELETE FROM open_balance_days
    WHERE currency = OLD.currency AND due_date = OLD.due_date AND invoices = 1;
    UPDATE open_balance_days
    SET balance_minor = balance_minor - OLD.balance_minor, invoices = invoices - 1
    WHERE currency = OLD.currency AND due_date = OLD.due_date;
END;

CREATE TRIGGER open_balance_days_on_update AFTER UPDATE ON open_balances
BEGIN
    -- The last invoice of its day goes with its row; otherwise the day's row loses it.
    DELETE FROM open_balance_days
    WHERE currency = OLD.currency AND due_date = OLD.due_date AND invoices = 1;
    UPDATE open_balance_days
    SET balance_minor = balance_minor - OLD.balance_minor, invoices = invoices - 1
    WHERE currency = OLD.currency AND due_date = OLD.due_date;
    INSERT INTO open_balance_days (currency, due_date, balance_minor, invoices)
    VALUES (NEW.currency, NEW.due_date, NEW.balance_minor, 1)
    ON CONFLICT (currency, due_date) DO UPDATE
    SET balance_minor = balance_minor + excluded.balance_minor, invoices = invoices + 1;
END;
