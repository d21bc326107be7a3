-- What a job produced, counted before a deletion (Cytomine's alldata.json).
-- $1 job_id bigint
-- -> annotations bigint, annotations_term bigint, reviewed bigint
SELECT
    (
        SELECT count(*) FROM annotation AS a
        WHERE a.user_id = uj.id AND a.kind = 'algo'
    ) AS annotations,
    (SELECT count(*) FROM annotation_term AS t WHERE t.user_id = uj.id) AS annotations_term,
    (
        SELECT count(*) FROM annotation AS r
        JOIN annotation AS a ON a.id = r.parent_id
        WHERE a.user_id = uj.id AND a.kind = 'algo' AND r.kind = 'reviewed'
    ) AS reviewed
FROM job AS j
LEFT JOIN user_job AS uj ON uj.job_id = j.id
WHERE j.id = $1
