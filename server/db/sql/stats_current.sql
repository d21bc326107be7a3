-- Who is active now: users seen in a project (entering it or viewer heartbeats) in the last
-- 5 minutes, projects seen in the last 2 minutes, and the one with the most users then.
-- (no parameters)
-- -> users bigint, projects bigint, most_active text (JSON {project: Project, users} or NULL)
WITH recent AS (
    SELECT a.user_id, a.project_id, a.created
    FROM project_presence AS a
    WHERE a.created >= now() - interval '5 minutes'
),
busy AS (
    SELECT r.project_id, count(DISTINCT r.user_id) AS users
    FROM recent AS r
    WHERE r.created >= now() - interval '2 minutes'
    GROUP BY r.project_id
)
SELECT
    (SELECT count(DISTINCT r.user_id) FROM recent AS r) AS users,
    (SELECT count(*) FROM busy) AS projects,
    (
        SELECT json_build_object('project', to_jsonb(v), 'users', b.users)::text
        FROM busy AS b
        JOIN api_project AS v ON v.id = b.project_id
        ORDER BY b.users DESC, b.project_id
        LIMIT 1
    ) AS most_active
