-- One representative of a project, by id or by user (the other one NULL).
-- $1 project_id bigint, $2 id bigint, $3 user_id bigint
-- -> json text (ProjectRepresentativeUser)
SELECT row_to_json(v)::text
FROM api_project_representative_user AS v
WHERE v.project = $1 AND (v.id = $2 OR v."user" = $3)
