-- One software-project link (no row: none).
-- $1 link_id bigint
-- -> obj text (SoftwareProject object), project_id bigint
SELECT row_to_json(v)::text AS obj, v.project AS project_id
FROM api_software_project AS v
WHERE v.id = $1
