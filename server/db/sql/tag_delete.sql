-- Delete a tag and (by cascade) its associations.
-- $1 tag_id bigint
-- -> nothing
DELETE FROM tag WHERE id = $1
