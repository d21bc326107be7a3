-- Progress of a running job (written from a session outside the loading transaction).
-- $1 id bigint, $2 rows_read bigint, $3 rows_loaded bigint, $4 rows_rejected bigint,
-- $5 errors text (JSON array), $6 unmatched_classes text (JSON object) -> nothing
UPDATE annotation_import
SET
    rows_read = $2, rows_loaded = $3, rows_rejected = $4, errors = $5::jsonb,
    unmatched_classes = $6::jsonb, updated = now()
WHERE id = $1
