-- clew store, schema version 1: sources, statements, segments, consent, protected blocks.

-- One write operation (an import, a coding session): who and when, shared by its statements.
CREATE TABLE batch (
    id INTEGER PRIMARY KEY,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    operation TEXT NOT NULL
);

CREATE TABLE source (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    synthetic INTEGER NOT NULL,
    generation INTEGER NOT NULL,
    batch_id INTEGER NOT NULL REFERENCES batch(id)
);

-- Statements are only ever inserted. A retraction is a row whose `retracts` names the retracted statement.
-- Ids are 16 bytes whose first 4 come from the source: the id index also finds a source's statements.
-- sensitivity: 0 public, 1 internal, 2 restricted.
CREATE TABLE statement (
    id BLOB NOT NULL UNIQUE,
    entity_id TEXT NOT NULL,
    schema TEXT NOT NULL,
    property TEXT NOT NULL,
    value TEXT NOT NULL,
    source_id TEXT NOT NULL,
    locator TEXT NOT NULL,
    batch_id INTEGER NOT NULL,
    confidence REAL NOT NULL,
    sensitivity INTEGER NOT NULL,
    retracts BLOB
);
CREATE INDEX statement_entity ON statement(entity_id);
CREATE INDEX statement_retracts ON statement(retracts) WHERE retracts IS NOT NULL;

-- Entities known to the store (derived from statements; the schema first given).
CREATE TABLE entity (
    id TEXT PRIMARY KEY,
    schema TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX entity_schema ON entity(schema);

CREATE TABLE segment (
    source_id TEXT NOT NULL,
    generation INTEGER NOT NULL,
    segment_id TEXT NOT NULL,
    lang TEXT NOT NULL,
    text TEXT NOT NULL,
    translation_lang TEXT,
    translation_text TEXT,
    PRIMARY KEY (source_id, generation, segment_id)
) WITHOUT ROWID;

-- The consent record of a testimony, one row per imported generation (JSON).
CREATE TABLE consent (
    source_id TEXT NOT NULL,
    generation INTEGER NOT NULL,
    record TEXT NOT NULL,
    PRIMARY KEY (source_id, generation)
) WITHOUT ROWID;

-- The `protected` block of a testimony (JSON). Flagged: only custodians may read it. Encryption to the
-- custodians comes with the evidence vault; until then it never leaves this table.
CREATE TABLE protected (
    source_id TEXT NOT NULL,
    generation INTEGER NOT NULL,
    payload TEXT NOT NULL,
    PRIMARY KEY (source_id, generation)
) WITHOUT ROWID;
