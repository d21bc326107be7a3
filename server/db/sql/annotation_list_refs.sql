-- The first id a listing names that does not exist or that the caller may not read (no row:
-- all fine). Reading rules: an annotation as its project and layer, an image, slice or track
-- as its project, a term as its ontology; users and tags only need to exist.
-- $1 user_id bigint, $2 is_admin bool (admin session open), $3 annotation_ids bigint[],
-- $4 project_ids bigint[], $5 image_ids bigint[], $6 slice_ids bigint[], $7 term_ids bigint[],
-- $8 track_ids bigint[], $9 user_ids bigint[], $10 tag_ids bigint[]
-- -> kind text, id bigint, found bool (false: 404; true: not readable, 403)
WITH named (kind, id) AS (
    SELECT 'Annotation', unnest($3::bigint [])
    UNION ALL SELECT 'Project', unnest($4::bigint [])
    UNION ALL SELECT 'ImageInstance', unnest($5::bigint [])
    UNION ALL SELECT 'SliceInstance', unnest($6::bigint [])
    UNION ALL SELECT 'Term', unnest($7::bigint [])
    UNION ALL SELECT 'Track', unnest($8::bigint [])
    UNION ALL SELECT 'User', unnest($9::bigint [])
    UNION ALL SELECT 'Tag', unnest($10::bigint [])
),

-- readable: NULL when the object does not exist.
checked AS (
    SELECT
        n.kind,
        n.id,
        CASE n.kind
            WHEN 'Annotation' THEN (
                SELECT layer_visible(a.project_id, a.user_id, $1, $2::boolean)
                FROM annotation AS a WHERE a.id = n.id
            )
            WHEN 'Project' THEN (
                SELECT $2 OR project_readable(p.id, $1) FROM project AS p WHERE p.id = n.id
            )
            WHEN 'ImageInstance' THEN (
                SELECT $2 OR project_readable(i.project_id, $1)
                FROM image_instance AS i WHERE i.id = n.id
            )
            WHEN 'SliceInstance' THEN (
                SELECT $2 OR project_readable(s.project_id, $1)
                FROM slice_instance AS s WHERE s.id = n.id
            )
            WHEN 'Term' THEN (
                SELECT ontology_readable(t.ontology_id, $1, $2) FROM term AS t WHERE t.id = n.id
            )
            WHEN 'Track' THEN (
                SELECT $2 OR project_readable(t.project_id, $1) FROM track AS t WHERE t.id = n.id
            )
            WHEN 'User' THEN (SELECT true FROM sec_user AS u WHERE u.id = n.id)
            WHEN 'Tag' THEN (SELECT true FROM tag AS t WHERE t.id = n.id)
        END AS readable
    FROM named AS n
)

SELECT c.kind, c.id, c.readable IS NOT NULL AS found
FROM checked AS c
WHERE c.readable IS NOT true
ORDER BY c.readable IS NOT NULL, c.kind, c.id
LIMIT 1
