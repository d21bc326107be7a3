-- Delete a relation kind and its links (ON DELETE CASCADE).
-- $1 relation_id bigint
-- -> (no rows)
DELETE FROM relation
WHERE id = $1
