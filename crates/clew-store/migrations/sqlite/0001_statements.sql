-- clew store, schema version 1: sources, entities, statements, segments, consent, sealed protected blocks,
-- custodians.
--
-- Statements refer to their entity, property, source and batch by integer keys: a statement row stays
-- small (the demo's 10 million statements take about a third of the space text columns would), and the
-- entity index compares integers. The statement table declares no foreign keys on purpose: four lookups per
-- inserted row would halve bulk import speed; the store's code is the only writer and keeps them valid.

-- One write operation (an import, a demo run): who and when, shared by its statements.
CREATE TABLE batch (
    id INTEGER PRIMARY KEY,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    operation TEXT NOT NULL
);

CREATE TABLE source (
    key INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    synthetic INTEGER NOT NULL,
    generation INTEGER NOT NULL,
    batch INTEGER NOT NULL REFERENCES batch(id)
);

-- Entities known to the store, with the schema first given (the assembled schema may be more specific).
CREATE TABLE entity (
    key INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    schema TEXT NOT NULL
);
CREATE INDEX entity_schema ON entity(schema, id);

-- (schema, property) pairs that statements use.
CREATE TABLE property (
    key INTEGER PRIMARY KEY,
    schema TEXT NOT NULL,
    name TEXT NOT NULL,
    UNIQUE (schema, name)
);

-- Statements are only ever inserted. A retraction is a row whose `retracts` names the retracted statement.
-- Ids are 16-byte content hashes. They are unique per source (and, the source being hashed in, globally);
-- the (source, id) index grows at its end as new sources arrive, where an index on random ids alone would
-- touch a random page for every source written. sensitivity: 0 public, 1 internal, 2 restricted.
CREATE TABLE statement (
    id BLOB NOT NULL,
    entity INTEGER NOT NULL,
    property INTEGER NOT NULL,
    value TEXT NOT NULL,
    source INTEGER NOT NULL,
    locator TEXT NOT NULL,
    batch INTEGER NOT NULL,
    confidence REAL NOT NULL,
    sensitivity INTEGER NOT NULL,
    retracts BLOB,
    UNIQUE (source, id)
);
CREATE INDEX statement_entity ON statement(entity);
CREATE INDEX statement_retracts ON statement(retracts) WHERE retracts IS NOT NULL;

CREATE TABLE segment (
    source INTEGER NOT NULL REFERENCES source(key),
    generation INTEGER NOT NULL,
    id TEXT NOT NULL,
    lang TEXT NOT NULL,
    text TEXT NOT NULL,
    translation_lang TEXT,
    translation_text TEXT,
    PRIMARY KEY (source, generation, id)
) WITHOUT ROWID;

-- The consent record of a testimony, one row per imported generation (JSON).
CREATE TABLE consent (
    source INTEGER NOT NULL REFERENCES source(key),
    generation INTEGER NOT NULL,
    record TEXT NOT NULL,
    PRIMARY KEY (source, generation)
) WITHOUT ROWID;

-- The `protected` block of a testimony, sealed to the project's custodians (age format) before it reached
-- this table: the store never sees it in the clear.
CREATE TABLE protected (
    source INTEGER NOT NULL REFERENCES source(key),
    generation INTEGER NOT NULL,
    sealed BLOB NOT NULL,
    PRIMARY KEY (source, generation)
) WITHOUT ROWID;

-- Custodians: the public keys protected data is sealed to. Their secret keys are never stored here.
CREATE TABLE custodian (
    key INTEGER PRIMARY KEY,
    public_key TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    batch INTEGER NOT NULL REFERENCES batch(id)
);
