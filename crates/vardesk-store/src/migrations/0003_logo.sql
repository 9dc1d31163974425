-- The company logo printed on documents (PNG or JPEG bytes), checked before it is stored.
ALTER TABLE settings ADD COLUMN logo BLOB;
