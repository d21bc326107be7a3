-- Remove one term link by id.
-- $1 annotation_term_id bigint -> id bigint (no row: a concurrent request deleted it first)
DELETE FROM annotation_term WHERE id = $1
RETURNING id
