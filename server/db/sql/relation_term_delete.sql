-- Remove one link between two terms.
-- $1 relation_term_id bigint
-- -> (no rows)
DELETE FROM relation_term
WHERE id = $1
