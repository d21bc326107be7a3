-- Remove one link between two terms.
-- $1 relation_term_id bigint
-- -> id bigint (no row: a concurrent request deleted it first)
DELETE FROM relation_term
WHERE id = $1
RETURNING id
