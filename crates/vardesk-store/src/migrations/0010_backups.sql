-- Backups: where they go (NULL: the default folder beside the data) and how many are kept.
CREATE TABLE backup_settings (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    folder TEXT CHECK (folder IS NULL OR length(folder) > 0),
    keep INTEGER NOT NULL CHECK (keep BETWEEN 1 AND 365)
) STRICT;
