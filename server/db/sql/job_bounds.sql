-- Value ranges of the jobs of a project, for the list filters.
-- $1 project_id bigint
-- -> json text {created, updated, number, progress, status, softwareName, username}
SELECT json_build_object(
    'created', json_build_object('min', epoch_ms(min(j.created)), 'max', epoch_ms(max(j.created))),
    'updated', json_build_object('min', epoch_ms(min(j.updated)), 'max', epoch_ms(max(j.updated))),
    'number', json_build_object('min', min(v.number), 'max', max(v.number)),
    'progress', json_build_object('min', min(v.progress), 'max', max(v.progress)),
    'status', coalesce(json_agg(DISTINCT v.status) FILTER (WHERE v.status IS NOT NULL), '[]'),
    'softwareName', coalesce(json_agg(DISTINCT v."softwareName"), '[]'),
    'username', coalesce(
        json_agg(DISTINCT v.username) FILTER (WHERE v.username IS NOT NULL), '[]'
    )
)::text
FROM api_job AS v
JOIN job AS j ON j.id = v.id
WHERE v.project = $1
