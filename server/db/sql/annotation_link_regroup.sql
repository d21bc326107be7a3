-- Move every link of one annotation group into another (merging the groups).
-- $1 target annotation_group_id bigint, $2 merged annotation_group_id bigint
-- -> nothing
UPDATE annotation_link
SET group_id = $1, updated = now()
WHERE group_id = $2
