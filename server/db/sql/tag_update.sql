-- Rename a tag.
-- $1 tag_id bigint, $2 name text
-- -> nothing
UPDATE tag SET name = $2, updated = now()
WHERE id = $1
