-- Jobs of a project whose data can be purged: data not yet deleted and no reviewed annotation.
-- $1 project_id bigint
-- -> id bigint
SELECT j.id
FROM job AS j
LEFT JOIN user_job AS uj ON uj.job_id = j.id
WHERE
    j.project_id = $1
    AND NOT j.data_deleted
    AND NOT EXISTS (
        SELECT 1 FROM annotation AS r
        JOIN annotation AS a ON a.id = r.parent_id
        WHERE a.user_id = uj.id AND r.kind = 'reviewed'
    )
ORDER BY j.id
