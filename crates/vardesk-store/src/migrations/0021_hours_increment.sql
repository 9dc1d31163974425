-- Estimated hours print on the customer's quote rounded to this step (issue #16): 0.25 h by
-- default, in hundredths of an hour (1 = two decimals as the estimate gives them).
ALTER TABLE settings ADD COLUMN hours_increment_e2 INTEGER NOT NULL DEFAULT 25
    CHECK (hours_increment_e2 IN (1, 10, 25, 50, 100));
