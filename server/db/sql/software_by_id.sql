-- One software and whether a caller may change it: its creator or an admin (no row: none).
-- $1 software_id bigint, $2 user_id bigint, $3 is_admin bool
-- -> obj text (Software object), can_edit bool, source_path text
SELECT
    row_to_json(v)::text AS obj,
    ($3 OR coalesce(s.user_id = $2, false)) AS can_edit,
    s.source_path
FROM api_software AS v
JOIN software AS s ON s.id = v.id
WHERE v.id = $1
