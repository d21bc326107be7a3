-- Delete a term; its relation links go with it (ON DELETE CASCADE).
-- $1 term_id bigint
-- -> id bigint (no row: a concurrent request deleted it first)
DELETE FROM term
WHERE id = $1
RETURNING id
