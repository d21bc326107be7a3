-- User annotations per image and term of a project (termId null: annotations without term),
-- by image then term.
-- $1 project_id bigint, $2 start timestamptz (NULL: open), $3 end timestamptz (NULL: open),
-- $4 viewer_id bigint, $5 viewer_is_admin bool
-- Only annotations of layers the viewer sees count (layer_visible: hidden users' or admins'
-- layers).
-- -> json text (array of {imageId, termId, countAnnotations})
SELECT coalesce(json_agg(json_build_object(
    'imageId', x.image_id, 'termId', x.term_id, 'countAnnotations', x.n
) ORDER BY x.image_id, x.term_id NULLS LAST), '[]')::text
FROM (
    SELECT a.image_id, at.term_id, count(a.id) AS n
    FROM annotation AS a
    LEFT JOIN annotation_term AS at ON at.annotation_id = a.id
    WHERE
        a.project_id = $1 AND a.kind = 'user'
        AND layer_visible(a.project_id, a.user_id, $4, $5)
        AND ($2::timestamptz IS NULL OR coalesce(at.created, a.created) > $2)
        AND ($3::timestamptz IS NULL OR coalesce(at.created, a.created) < $3)
    GROUP BY a.image_id, at.term_id
) AS x
