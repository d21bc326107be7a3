-- End a run: its queue row goes and the job takes its final status, unless the algorithm
-- already set one the life cycle cannot leave (its own SUCCESS or FAILED stays).
-- $1 job_id bigint, $2 status integer, $3 status_comment text
-- -> status integer (the job's status now; no row: the run was gone)
WITH done AS (
    DELETE FROM job_run
    WHERE job_id = $1
    RETURNING job_id
),

ended AS (
    UPDATE job AS j
    SET
        status = $2,
        status_comment = $3,
        progress = CASE WHEN $2 = 3 THEN 100 ELSE j.progress END,
        updated = now()
    FROM done
    WHERE j.id = done.job_id AND j.status <> $2 AND job_status_allowed(j.status, $2)
    RETURNING j.status
)

SELECT coalesce((SELECT ended.status FROM ended), j.status) AS status
FROM done
INNER JOIN job AS j ON done.job_id = j.id
