-- clew store, schema version 2: attachments, the custody log, statements by batch, consent withdrawal.
-- An attachment is a sealed, content-addressed blob in the project's `blobs/` folder (`<sha256>.age`),
-- named here by the SHA-256 of its plaintext. Its original file name can identify a witness, so it is
-- sealed to the custodians like the protected block.
CREATE TABLE attachment (
    key INTEGER PRIMARY KEY,
    source INTEGER NOT NULL REFERENCES source(key),
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    media_type TEXT NOT NULL,
    sealed_name BLOB NOT NULL,
    batch INTEGER NOT NULL REFERENCES batch(id),
    UNIQUE (source, sha256)
);

-- The custody log: every write and every sensitive read, in order. `leaf_hash` is the event's leaf in the
-- log's Merkle tree (RFC 6962 hashing); the event at `seq` is leaf `seq - 1`. Rows are only ever inserted.
CREATE TABLE custody_event (
    seq INTEGER PRIMARY KEY,
    batch INTEGER NOT NULL REFERENCES batch(id),
    kind TEXT NOT NULL,
    detail TEXT NOT NULL,
    leaf_hash BLOB NOT NULL
);

-- Statements by the batch that wrote them: the custody event of an import commits to their digest, and
-- `clew verify` recomputes it. Batches only grow, so this index is appended to, never reshuffled.
CREATE INDEX statement_batch ON statement(batch);

-- A testimony whose consent was withdrawn: `all` keeps its statements out of every output, `publication`
-- or `sharing` out of exports. Nothing is deleted: the record of what was said, and withdrawn, stays.
ALTER TABLE source ADD COLUMN withdrawn TEXT;
