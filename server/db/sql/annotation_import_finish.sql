-- Close a job: done or failed, final counts and message.
-- $1 id bigint, $2 status text, $3 rows_read bigint, $4 rows_loaded bigint,
-- $5 rows_rejected bigint, $6 errors text (JSON array), $7 message text,
-- $8 unmatched_classes text (JSON object) -> nothing
UPDATE annotation_import
SET
    status = $2, rows_read = $3, rows_loaded = $4, rows_rejected = $5, errors = $6::jsonb,
    message = $7, unmatched_classes = $8::jsonb, finished = now(), updated = now()
WHERE id = $1
