-- For each member of a project and each other author: their user annotations per term of
-- the project's ontology (every term, 0 when unused), by user id then term id.
-- $1 project_id bigint
-- -> json text (array of {id, userId, key, username, terms: [{id, key, name, value, count,
-- color}]})
WITH authors AS (
    -- People only: a job's user job is a member of its project too.
    SELECT m.user_id FROM project_member AS m
    WHERE m.project_id = $1 AND NOT EXISTS (SELECT 1 FROM user_job AS uj WHERE uj.id = m.user_id)
    UNION
    SELECT a.user_id FROM annotation AS a WHERE a.project_id = $1 AND a.kind = 'user'
)
SELECT coalesce(json_agg(json_build_object(
    'id', u.id, 'userId', u.id, 'key', u.username, 'username', u.username,
    'terms', (
        SELECT coalesce(json_agg(json_build_object(
            'id', t.id, 'key', t.name, 'name', t.name, 'color', t.color,
            'value', x.n, 'count', x.n
        ) ORDER BY t.id), '[]')
        FROM project AS p
        JOIN term AS t ON t.ontology_id = p.ontology_id
        CROSS JOIN LATERAL (
            SELECT count(DISTINCT at.annotation_id) AS n
            FROM annotation_term AS at
            JOIN annotation AS a ON a.id = at.annotation_id AND a.kind = 'user'
            WHERE at.term_id = t.id AND a.project_id = p.id AND a.user_id = u.id
        ) AS x
        WHERE p.id = $1
    )
) ORDER BY u.id), '[]')::text
FROM authors AS w
JOIN sec_user AS u ON u.id = w.user_id
