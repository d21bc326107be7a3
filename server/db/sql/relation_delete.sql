-- Delete a relation kind and its links (ON DELETE CASCADE).
-- $1 relation_id bigint
-- -> id bigint (no row: a concurrent request deleted it first)
DELETE FROM relation
WHERE id = $1
RETURNING id
