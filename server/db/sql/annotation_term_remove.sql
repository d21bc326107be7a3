-- Remove one term link by id.
-- $1 annotation_term_id bigint -> nothing
DELETE FROM annotation_term WHERE id = $1
