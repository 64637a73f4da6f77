-- clew store, schema version 13: the safe line's caseworkers. The safe line seals what senders write to each
-- caseworker's age public key (their secret keys are never stored here), as protected data is sealed to the
-- custodians. Adding or removing one is a custody event, like a custodian's. What senders write is kept in a
-- database of its own (safe-line/safe-line.db), never in this one.
CREATE TABLE caseworker (
    key INTEGER PRIMARY KEY,
    public_key TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    batch INTEGER NOT NULL REFERENCES batch(id)
);
