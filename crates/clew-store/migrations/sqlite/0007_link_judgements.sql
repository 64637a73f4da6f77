-- clew store, schema version 7: reviewers' judgements on pairs of entities (`clew link judge`): the same, different,
-- or unsure, with a note. Append-only: a later judgement on the same pair overrides an earlier one in linkage, and
-- both stay. Who and when are the batch's; each judgement is a custody event (`link-judgement`).
CREATE TABLE link_judgement (
    key INTEGER PRIMARY KEY,
    entity_a TEXT NOT NULL,
    entity_b TEXT NOT NULL,
    verdict TEXT NOT NULL CHECK (verdict IN ('same', 'different', 'unsure')),
    note TEXT NOT NULL DEFAULT '',
    -- Random, per judgement: the custody event carries SHA-256(salt, note), so the log cannot be used to test
    -- guesses of a note.
    salt TEXT NOT NULL,
    batch INTEGER NOT NULL REFERENCES batch(id)
);
