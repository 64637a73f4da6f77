-- clew store, schema version 3: attachments stripped of metadata on ingest (EXIF/GPS, XMP, IPTC, comments).
-- The blob holds the stripped file; the original's SHA-256 and size are kept, so a partner holding the
-- original can show it is the same evidence. `stripped` names what was removed. All NULL when not stripped.
ALTER TABLE attachment ADD COLUMN original_sha256 TEXT;
ALTER TABLE attachment ADD COLUMN original_size INTEGER;
ALTER TABLE attachment ADD COLUMN stripped TEXT;
