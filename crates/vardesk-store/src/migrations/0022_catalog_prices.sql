-- A catalog item's price and cost in more currencies than its own (issue #16): a Swedish
-- customer's quote takes the SEK price, and a document in a currency the item has no price
-- in is refused naming the item. The item's own currency, price and cost stay on
-- catalog_items; this table holds the others.
CREATE TABLE catalog_prices (
    item_id INTEGER NOT NULL REFERENCES catalog_items (id) ON DELETE CASCADE,
    currency TEXT NOT NULL CHECK (length(currency) = 3),
    price_e4 INTEGER NOT NULL CHECK (price_e4 >= 0),
    cost_e4 INTEGER NOT NULL CHECK (cost_e4 >= 0),
    PRIMARY KEY (item_id, currency)
) STRICT;

-- Books from before kept subscriptions to an item in other currencies at their own prices:
-- those become the item's price there (the most recent subscription's), so nothing that
-- billed yesterday is refused today.
INSERT INTO catalog_prices (item_id, currency, price_e4, cost_e4)
SELECT s.catalog_item_id, s.currency, s.unit_price_e4, s.unit_cost_e4
FROM subscriptions s JOIN catalog_items c ON c.id = s.catalog_item_id
WHERE s.currency <> c.currency
  AND s.id = (SELECT max(t.id) FROM subscriptions t
              WHERE t.catalog_item_id = s.catalog_item_id AND t.currency = s.currency);

-- Likewise quote lines taken from an item in another currency (where no subscription spoke).
INSERT OR IGNORE INTO catalog_prices (item_id, currency, price_e4, cost_e4)
SELECT l.catalog_item_id, q.currency, l.unit_price_e4, l.unit_cost_e4
FROM quote_lines l JOIN quotes q ON q.id = l.quote_id
JOIN catalog_items c ON c.id = l.catalog_item_id
WHERE q.currency <> c.currency
  AND l.id = (SELECT max(m.id) FROM quote_lines m JOIN quotes n ON n.id = m.quote_id
              WHERE m.catalog_item_id = l.catalog_item_id AND n.currency = q.currency);
