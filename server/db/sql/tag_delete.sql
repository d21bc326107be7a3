-- Delete a tag and (by cascade) its associations.
-- $1 tag_id bigint
-- -> id bigint (no row: a concurrent request deleted it first)
DELETE FROM tag WHERE id = $1
RETURNING id
