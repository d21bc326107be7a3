-- User annotations (or the images holding them) per term of the project's ontology (every
-- term, 0 when unused; leaf terms only on request), then those without a term when there
-- are any. Term links are dated by the link, untermed annotations by their creation.
-- $1 project_id bigint, $2 start timestamptz (NULL: open), $3 end timestamptz (NULL: open),
-- $4 leaf_only bool, $5 count_images bool, $6 viewer_id bigint, $7 viewer_is_admin bool
-- Only annotations of layers the viewer sees count (layer_visible: hidden users' or admins'
-- layers).
-- -> json text (array of {id, key, username, name, value, count, color})
WITH counted AS (
    SELECT
        t.id, t.name, t.color, 0 AS rank,
        (
            SELECT
                CASE WHEN $5 THEN count(DISTINCT a.image_id) ELSE count(DISTINCT a.id) END
            FROM annotation_term AS at
            JOIN annotation AS a ON a.id = at.annotation_id AND a.kind = 'user'
            WHERE
                at.term_id = t.id AND a.project_id = p.id
                AND layer_visible(a.project_id, a.user_id, $6, $7)
                AND ($2::timestamptz IS NULL OR at.created > $2)
                AND ($3::timestamptz IS NULL OR at.created < $3)
        ) AS n
    FROM project AS p
    JOIN term AS t ON t.ontology_id = p.ontology_id
    WHERE
        p.id = $1
        AND NOT ($4 AND EXISTS (SELECT 1 FROM relation_term AS r WHERE r.term1_id = t.id))
    UNION ALL
    SELECT
        NULL, NULL, NULL, 1,
        CASE WHEN $5 THEN count(DISTINCT a.image_id) ELSE count(*) END
    FROM annotation AS a
    WHERE
        a.project_id = $1 AND a.kind = 'user'
        AND layer_visible(a.project_id, a.user_id, $6, $7)
        AND NOT EXISTS (SELECT 1 FROM annotation_term AS at WHERE at.annotation_id = a.id)
        AND ($2::timestamptz IS NULL OR a.created > $2)
        AND ($3::timestamptz IS NULL OR a.created < $3)
    HAVING count(*) > 0
)
SELECT coalesce(json_agg(json_build_object(
    'id', c.id, 'key', c.name, 'username', c.name, 'name', c.name, 'value', c.n, 'count', c.n,
    'color', c.color
) ORDER BY c.rank, c.id), '[]')::text
FROM counted AS c
