-- For each project using a term's ontology that the caller may read: its user annotations
-- with that term, by project name.
-- Only annotations of layers the viewer sees count (layer_visible: hidden users' or admins'
-- layers).
-- $1 term_id bigint, $2 viewer_id bigint, $3 is_admin bool
-- -> json text (array of {username: project name, value})
SELECT coalesce(json_agg(json_build_object(
    'id', p.id, 'username', p.name, 'key', p.name,
    'value', (
        SELECT count(DISTINCT at.annotation_id)
        FROM annotation_term AS at
        JOIN annotation AS a ON a.id = at.annotation_id AND a.kind = 'user'
        WHERE
            at.term_id = t.id AND a.project_id = p.id
            AND layer_visible(a.project_id, a.user_id, $2, $3)
    )
) ORDER BY p.name), '[]')::text
FROM term AS t
JOIN project AS p ON p.ontology_id = t.ontology_id
WHERE t.id = $1 AND ($3 OR project_readable(p.id, $2))
