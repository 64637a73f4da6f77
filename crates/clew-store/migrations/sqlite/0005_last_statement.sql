-- clew store, schema version 5: the rowid of each source's newest statement, so that an analysis can read the
-- statement table once in rowid order and hand over each testimony as soon as the scan has passed its last
-- statement, without first grouping ten million rows. Kept by every write; `clew verify` checks it.
ALTER TABLE source ADD COLUMN last_statement INTEGER;
UPDATE source SET last_statement = (SELECT max(rowid) FROM statement WHERE statement.source = source.key);
