-- clew store, schema version 9: a third file of an OFAC legacy CSV list, its addresses (`add.csv`, whose
-- countries count as the entries' countries), kept beside the list under its own SHA-256 like the aliases file.
ALTER TABLE sanctions_list ADD COLUMN addresses_sha256 TEXT;
