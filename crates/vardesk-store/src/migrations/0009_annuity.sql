-- Annuity: saved projection scenarios, and the history of subscription changes so the
-- dashboard can split last month's MRR change into new, expansion, contraction and churn.

-- A named set of projection assumptions. The start month is not saved: a scenario is
-- projected from whichever month the user starts at.
CREATE TABLE projection_scenarios (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 80),
    -- The name folded (case, accents) so "Base" and "base" are one scenario.
    name_fold TEXT NOT NULL UNIQUE,
    is_default INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
    months INTEGER NOT NULL CHECK (months BETWEEN 1 AND 120),
    currency TEXT NOT NULL CHECK (length(currency) = 3),
    churn_e2 INTEGER NOT NULL CHECK (churn_e2 BETWEEN 0 AND 10000),
    expansion_e2 INTEGER NOT NULL CHECK (expansion_e2 BETWEEN 0 AND 10000),
    uplift_e2 INTEGER NOT NULL CHECK (uplift_e2 BETWEEN 0 AND 10000),
    projects_per_month_e4 INTEGER NOT NULL CHECK (projects_per_month_e4 >= 0),
    seats_per_project_e4 INTEGER NOT NULL CHECK (seats_per_project_e4 >= 0),
    price_per_seat_e4 INTEGER NOT NULL CHECK (price_per_seat_e4 >= 0),
    cost_per_seat_e4 INTEGER NOT NULL CHECK (cost_per_seat_e4 >= 0),
    fee_per_project_e4 INTEGER NOT NULL CHECK (fee_per_project_e4 >= 0),
    include_accepted INTEGER NOT NULL CHECK (include_accepted IN (0, 1)),
    include_pipeline INTEGER NOT NULL CHECK (include_pipeline IN (0, 1)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

-- At most one default scenario (the CLI's `projection` and the screen start from it).
CREATE UNIQUE INDEX projection_scenarios_one_default ON projection_scenarios (is_default)
    WHERE is_default = 1;

-- What a subscription charged before a change on `changed_on` (local date). Written by the
-- trigger below, whoever changes the subscription (app or CLI).
CREATE TABLE subscription_revisions (
    id INTEGER PRIMARY KEY,
    subscription_id INTEGER NOT NULL REFERENCES subscriptions (id),
    changed_on TEXT NOT NULL,
    quantity_e4 INTEGER NOT NULL,
    unit_price_e4 INTEGER NOT NULL,
    discount_e2 INTEGER NOT NULL,
    interval TEXT NOT NULL CHECK (interval IN ('monthly', 'annual'))
) STRICT;

CREATE INDEX subscription_revisions_by_subscription
    ON subscription_revisions (subscription_id, changed_on);

CREATE TRIGGER subscription_price_changes AFTER UPDATE ON subscriptions
WHEN OLD.quantity_e4 <> NEW.quantity_e4 OR OLD.unit_price_e4 <> NEW.unit_price_e4
    OR OLD.discount_e2 <> NEW.discount_e2 OR OLD.interval <> NEW.interval
BEGIN
    INSERT INTO subscription_revisions
        (subscription_id, changed_on, quantity_e4, unit_price_e4, discount_e2, interval)
    VALUES (OLD.id, date('now', 'localtime'), OLD.quantity_e4, OLD.unit_price_e4,
        OLD.discount_e2, OLD.interval);
END;

-- What is left to pay on each issued invoice, kept by triggers so the dashboard reads only
-- open invoices however many have been paid (a row exists while something is open).
CREATE TABLE open_balances (
    invoice_id INTEGER PRIMARY KEY REFERENCES invoices (id),
    currency TEXT NOT NULL,
    due_date TEXT NOT NULL,
    balance_minor INTEGER NOT NULL
) STRICT;

INSERT INTO open_balances (invoice_id, currency, due_date, balance_minor)
SELECT id, currency, due_date, balance FROM (
    SELECT i.id, i.currency, i.due_date, i.total_minor
        - (SELECT coalesce(sum(amount_minor), 0) FROM payments p WHERE p.invoice_id = i.id)
        - (SELECT coalesce(sum(total_minor), 0) FROM invoices n
           WHERE n.credited_invoice_id = i.id AND n.status = 'issued') AS balance
    FROM invoices i WHERE i.status = 'issued' AND i.kind = 'invoice')
WHERE balance > 0;

CREATE TRIGGER open_balances_on_issue AFTER UPDATE OF status ON invoices
WHEN OLD.status = 'draft' AND NEW.status = 'issued' AND NEW.kind = 'invoice'
    AND NEW.total_minor > 0
BEGIN
    INSERT INTO open_balances (invoice_id, currency, due_date, balance_minor)
    VALUES (NEW.id, NEW.currency, NEW.due_date, NEW.total_minor);
END;

CREATE TRIGGER open_balances_on_credit AFTER UPDATE OF status ON invoices
WHEN OLD.status = 'draft' AND NEW.status = 'issued' AND NEW.kind = 'credit_note'
BEGIN
    UPDATE open_balances SET balance_minor = balance_minor - NEW.total_minor
    WHERE invoice_id = NEW.credited_invoice_id;
    DELETE FROM open_balances WHERE invoice_id = NEW.credited_invoice_id AND balance_minor <= 0;
END;

CREATE TRIGGER open_balances_on_void AFTER UPDATE OF status ON invoices
WHEN NEW.status = 'void'
BEGIN
    DELETE FROM open_balances WHERE invoice_id = NEW.id;
END;

CREATE TRIGGER open_balances_on_payment AFTER INSERT ON payments
BEGIN
    UPDATE open_balances SET balance_minor = balance_minor - NEW.amount_minor
    WHERE invoice_id = NEW.invoice_id;
    DELETE FROM open_balances WHERE invoice_id = NEW.invoice_id AND balance_minor <= 0;
END;

CREATE TRIGGER payments_kept BEFORE DELETE ON payments
BEGIN
    SELECT RAISE(ABORT, 'A recorded payment cannot be deleted.');
END;
