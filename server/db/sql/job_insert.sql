-- A new run of a software in a project, not launched; job_numbered() gives its number.
-- $1 project_id bigint, $2 software_id bigint, $3 processing_server_id bigint,
-- $4 status_comment text, $5 rate double precision
-- -> id bigint
INSERT INTO job (project_id, software_id, processing_server_id, status_comment, rate)
VALUES ($1, $2, $3, $4, $5)
RETURNING id
