-- Delete a term; its relation links go with it (ON DELETE CASCADE).
-- $1 term_id bigint
-- -> (no rows)
DELETE FROM term
WHERE id = $1
