-- User jobs of a project as a tree: the project, its software, their runs (Cytomine's
-- tree=true answer of the project userjob listing).
-- $1 project_id bigint, $2 image_id bigint (NULL: every run; else runs with annotations on it)
-- -> json text (the project node)
WITH runs AS (
    SELECT j.software_id, uj.id, j.id AS job_id, j.created, j.number, j.status, j.data_deleted
    FROM job AS j
    JOIN user_job AS uj ON uj.job_id = j.id
    WHERE
        j.project_id = $1
        AND (
            $2::bigint IS NULL OR EXISTS (
                SELECT 1 FROM annotation AS a WHERE a.image_id = $2 AND a.user_id = uj.id
            )
        )
),

software_nodes AS (
    SELECT json_build_object(
        'id', s.id,
        'key', s.id,
        'name', s.name,
        'title', s.name,
        'isFolder', true,
        'hideCheckbox', true,
        'children', json_agg(
            json_build_object(
                'id', r.id,
                'key', r.id,
                'idJob', r.job_id,
                'name', s.name || ' #' || r.number,
                'title', s.name || ' #' || r.number,
                'created', epoch_ms(r.created),
                'status', r.status,
                'isDeleted', r.data_deleted,
                'isFolder', false,
                'hideCheckbox', false
            ) ORDER BY r.created DESC, r.id DESC
        )
    ) AS node
    FROM runs AS r
    JOIN software AS s ON s.id = r.software_id
    GROUP BY s.id, s.name
)

SELECT json_build_object(
    'id', p.id,
    'key', p.id,
    'name', p.name,
    'title', p.name,
    'isFolder', true,
    'hideCheckbox', true,
    'children', coalesce((SELECT json_agg(n.node) FROM software_nodes AS n), '[]')
)::text
FROM project AS p
WHERE p.id = $1
