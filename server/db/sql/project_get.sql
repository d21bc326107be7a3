-- One project as the API shows it (the caller's access is checked before).
-- $1 project_id bigint -> json text (Project)
SELECT row_to_json(v)::text
FROM api_project AS v
WHERE v.id = $1
