-- clew store, schema version 11: estimates kept in the project (how many people; how much revenue), each as
-- its run made it: the headline figures, the whole report (JSON) and its chart (SVG). The custody event that
-- kept one carries the SHA-256 of each, which `clew verify` checks. Estimates are aggregates: they name no one.
CREATE TABLE estimate (
    key INTEGER PRIMARY KEY,
    -- `population` or `revenue`.
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    -- 1 when fictional (demo) data went into it.
    synthetic INTEGER NOT NULL,
    -- JSON: the figures shown without the report (one line per method or basis).
    headline TEXT NOT NULL,
    report TEXT NOT NULL,
    chart TEXT NOT NULL,
    batch INTEGER NOT NULL UNIQUE REFERENCES batch(id)
);
