-- The One-Stop-Shop (DOMAIN.md §9): with the switch on, consumers in other member states are
-- charged their country's standard rate, from the company's own table of rates (JSON: code →
-- rate as text; empty means the 2026 table).
ALTER TABLE settings ADD COLUMN oss INTEGER NOT NULL DEFAULT 0 CHECK (oss IN (0, 1));
ALTER TABLE settings ADD COLUMN oss_rates TEXT NOT NULL DEFAULT '';
