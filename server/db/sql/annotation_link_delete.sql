-- Delete one annotation link.
-- $1 annotation_link_id bigint
-- -> id bigint (no row: a concurrent request deleted it first)
DELETE FROM annotation_link
WHERE id = $1
RETURNING id
