-- Enable a software in a project (UniqueViolation when it already is).
-- $1 software_id bigint, $2 project_id bigint
-- -> id bigint
INSERT INTO software_project (software_id, project_id)
VALUES ($1, $2)
RETURNING id
