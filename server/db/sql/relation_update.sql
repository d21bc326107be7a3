-- Rename a relation kind.
-- $1 relation_id bigint, $2 name text
-- -> (no rows)
UPDATE relation
SET name = $2, updated = now()
WHERE id = $1
