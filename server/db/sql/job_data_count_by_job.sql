-- How many data a job has (counted before a deletion).
-- $1 job_id bigint
-- -> count bigint
SELECT count(*) AS count FROM job_data WHERE job_id = $1
