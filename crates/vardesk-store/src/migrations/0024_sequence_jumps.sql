-- Continuing a number series from the previous system (DOMAIN.md §11): the counter is
-- raised to go on at `continued_at`; values from `skipped_from` up to it were issued
-- there. `check` explains the jump instead of reporting a gap; a restore carries it.
CREATE TABLE sequence_jumps (
    id INTEGER PRIMARY KEY,
    sequence TEXT NOT NULL CHECK (sequence IN ('invoice', 'credit_note')),
    year INTEGER NOT NULL CHECK (year >= 0),
    skipped_from INTEGER NOT NULL CHECK (skipped_from >= 1),
    continued_at INTEGER NOT NULL CHECK (continued_at > skipped_from),
    number TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (sequence, year, continued_at)
) STRICT;
