-- One job data with what its permission check and download need (no row: none).
-- $1 id bigint
-- -> obj text (JobData object), project_id bigint, path text, content_type text
SELECT
    row_to_json(v)::text AS obj,
    j.project_id,
    d.path,
    d.content_type
FROM job_data AS d
INNER JOIN api_job_data AS v ON d.id = v.id
INNER JOIN job AS j ON d.job_id = j.id
WHERE d.id = $1
