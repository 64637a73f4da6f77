-- clew store, schema version 8: every version of a testimony's protected block is kept, none replaced.
-- The block is left out of the testimony's content hash (a hash stored in clear would let anyone holding the
-- database test guesses of a witness's name), so an import cannot tell a changed block from the same one
-- sealed again: each import of a block appends a version. Only a key rotation touches a version in place, to
-- re-seal the same plaintext. `batch` is the import that wrote the version, whose custody event commits to
-- it; versions written before this schema version have none (and are version 1).
CREATE TABLE protected_version (
    source INTEGER NOT NULL REFERENCES source(key),
    generation INTEGER NOT NULL,
    version INTEGER NOT NULL,
    sealed BLOB NOT NULL,
    batch INTEGER REFERENCES batch(id),
    PRIMARY KEY (source, generation, version)
) WITHOUT ROWID;
INSERT INTO protected_version (source, generation, version, sealed)
    SELECT source, generation, 1, sealed FROM protected;
DROP TABLE protected;
ALTER TABLE protected_version RENAME TO protected;
