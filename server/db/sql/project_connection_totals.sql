-- Number of connections to each project, by project id.
-- (no parameters)
-- -> json text (array of {project, total})
SELECT coalesce(json_agg(json_build_object('project', x.project_id, 'total', x.total)
    ORDER BY x.project_id), '[]')::text
FROM (
    SELECT pc.project_id, count(*) AS total
    FROM project_connection AS pc
    GROUP BY pc.project_id
) AS x
