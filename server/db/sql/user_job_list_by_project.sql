-- User jobs of a project, newest job first (the shape of server/db/listing.py), as Cytomine's
-- project userjob listing: one item per run with its software.
-- $1 filter jsonpath, $2 filter vars jsonb, $3 sort key text, $4 descending bool,
-- $5 limit bigint, $6 offset bigint,
-- $7 project_id bigint, $8 image_id bigint (NULL: every run; else runs with annotations on it)
-- -> size bigint, items text (JSON array of user job items)
SELECT size, items
FROM api_page(
    ARRAY(
        SELECT jsonb_build_object(
            'id', uj.id,
            'idJob', j.id,
            'idSoftware', j.software_id,
            'idProject', j.project_id,
            'softwareName', s.name,
            'softwareFullName', software_full_name(s.name, s.software_version),
            'created', epoch_ms(j.created),
            'algo', true,
            'isDeleted', j.data_deleted,
            'status', j.status,
            'number', j.number,
            'username', s.name || ' ' || to_char(j.created, 'YYYY-MM-DD HH24:MI:SS'),
            'humanUsername', h.username,
            'user', uj.user_id,
            'job', j.id
        )
        FROM job AS j
        JOIN user_job AS uj ON uj.job_id = j.id
        JOIN software AS s ON s.id = j.software_id
        LEFT JOIN sec_user AS h ON h.id = uj.user_id
        WHERE
            j.project_id = $7
            AND (
                $8::bigint IS NULL OR EXISTS (
                    SELECT 1 FROM annotation AS a
                    WHERE a.image_id = $8 AND a.user_id = uj.id
                )
            )
    ),
    $1::jsonpath, $2::jsonb, $3, $4, $5, $6
)
