-- clew store, schema version 4: the batch that wrote each narrative segment and consent record, so that the
-- custody event of an import can commit to them (the witness's words are the evidence) and `clew verify`
-- can recompute them. Rows written before this version have no batch and are not covered.
ALTER TABLE segment ADD COLUMN batch INTEGER;
ALTER TABLE consent ADD COLUMN batch INTEGER;
