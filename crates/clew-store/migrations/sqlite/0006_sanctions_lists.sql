-- clew store, schema version 6: sanctions lists kept in the project for screening. The list file itself lies in
-- the project's `lists/` folder under its SHA-256; this row says what it is. Lists are public reference data
-- (the UN and OFAC publish them); they are not sealed.
CREATE TABLE sanctions_list (
    key INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    version TEXT,
    format TEXT NOT NULL,
    file_name TEXT NOT NULL,
    entities INTEGER NOT NULL,
    -- A second file read with it (OFAC's alt.csv of aliases beside sdn.csv), kept under its own SHA-256.
    companion_sha256 TEXT,
    batch INTEGER NOT NULL REFERENCES batch(id)
);
