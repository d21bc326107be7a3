-- Which of the given ids are members of the project (the users an import may name).
-- $1 user_ids bigint[], $2 project_id bigint -> known bigint[] (NULL when none)
SELECT array_agg(m.user_id)
FROM project_member AS m
WHERE m.project_id = $2 AND m.user_id = ANY($1)
