-- Whether the caller may read a slice instance's project (no row: no slice).
-- $1 slice_id bigint, $2 user_id bigint, $3 is_admin bool
-- -> image_id bigint, project_id bigint, readable bool
SELECT
    s.image_id,
    s.project_id,
    ($3 OR project_readable(s.project_id, $2)) AS readable
FROM slice_instance AS s
WHERE s.id = $1
