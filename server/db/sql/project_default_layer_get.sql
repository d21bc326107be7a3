-- One default layer of a project.
-- $1 project_id bigint, $2 id bigint -> json text (ProjectDefaultLayer)
SELECT row_to_json(v)::text
FROM api_project_default_layer AS v
WHERE v.project = $1 AND v.id = $2
