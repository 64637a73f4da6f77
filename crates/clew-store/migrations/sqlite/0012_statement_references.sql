-- clew store, schema version 12: the statements whose value names an entity (an Employment's employer, a
-- worksite's operator, a sanctions match's subject) are marked, and indexed by value, so that the entities
-- naming an entity are found by an index lookup rather than a scan of every statement
-- (`ReadTx::statements_naming`: the relations on an entity's page). Only those rows are indexed (about a fifth
-- of them): an index of every value made the demo's import a third slower. A statement is marked when written
-- (`REFERENCE_PROPERTIES` in sqlite.rs, which a test keeps equal to the schema's entity-valued properties and
-- to this list); the rows written before this version are marked here.
ALTER TABLE statement ADD COLUMN reference INTEGER NOT NULL DEFAULT 0;
UPDATE statement SET reference = 1
    WHERE property IN (SELECT key FROM property WHERE name IN ('accommodation','addressEntity','asset','beneficiary','director','dispatcher','documentsHeldBy','employee','employer','employment','holder','intermediary','object','operator','organization','owner','payer','permit','person','place','resident','subject','supervisor','traveller','witness','worker','worksite'));
CREATE INDEX statement_reference ON statement(value) WHERE reference = 1;
