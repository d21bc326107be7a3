-- Whether the caller may read an image instance's project (no row: no image).
-- $1 image_id bigint, $2 user_id bigint, $3 is_admin bool
-- -> project_id bigint, readable bool
SELECT
    i.project_id,
    ($3 OR project_readable(i.project_id, $2)) AS readable
FROM image_instance AS i
WHERE i.id = $1
