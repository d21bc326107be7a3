-- The first id the listing names that does not exist or that the caller may not read (no row:
-- all fine), checked like reading the object: a filter on a foreign annotation's geometry would
-- otherwise measure it, and a filter on a foreign id would tell whether it exists. Reading
-- rules: an annotation as its project and layer, an image, slice or track as its project, a
-- term as its ontology; users and tags only need to exist. Part of the listing statement, so
-- that the check costs no round trip of its own.
-- $user_id bigint
-- $bypass boolean
-- $ref_annotations bigint[]
-- $ref_projects bigint[]
-- $ref_images bigint[]
-- $ref_slices bigint[]
-- $ref_terms bigint[]
-- $ref_tracks bigint[]
-- $ref_users bigint[]
-- $ref_tags bigint[]
-- -> kind text, id bigint, found bool (false: 404; true: not readable, 403)

SELECT c.kind, c.id, c.readable IS NOT NULL AS found
FROM (
    -- readable: NULL when the object does not exist.
    SELECT
        n.kind,
        n.id,
        CASE n.kind
            WHEN 'Annotation' THEN (
                SELECT layer_visible(r.project_id, r.user_id, $user_id, $bypass)
                FROM annotation AS r WHERE r.id = n.id
            )
            WHEN 'Project' THEN (
                SELECT $bypass OR project_readable(p.id, $user_id) FROM project AS p WHERE p.id = n.id
            )
            WHEN 'ImageInstance' THEN (
                SELECT $bypass OR project_readable(i.project_id, $user_id)
                FROM image_instance AS i WHERE i.id = n.id
            )
            WHEN 'SliceInstance' THEN (
                SELECT $bypass OR project_readable(s.project_id, $user_id)
                FROM slice_instance AS s WHERE s.id = n.id
            )
            WHEN 'Term' THEN (
                SELECT ontology_readable(t.ontology_id, $user_id, $bypass)
                FROM term AS t WHERE t.id = n.id
            )
            WHEN 'Track' THEN (
                SELECT $bypass OR project_readable(t.project_id, $user_id)
                FROM track AS t WHERE t.id = n.id
            )
            WHEN 'User' THEN (SELECT true FROM sec_user AS u WHERE u.id = n.id)
            WHEN 'Tag' THEN (SELECT true FROM tag AS t WHERE t.id = n.id)
        END AS readable
    FROM (
        SELECT 'Annotation' AS kind, unnest($ref_annotations) AS id
        UNION ALL SELECT 'Project', unnest($ref_projects)
        UNION ALL SELECT 'ImageInstance', unnest($ref_images)
        UNION ALL SELECT 'SliceInstance', unnest($ref_slices)
        UNION ALL SELECT 'Term', unnest($ref_terms)
        UNION ALL SELECT 'Track', unnest($ref_tracks)
        UNION ALL SELECT 'User', unnest($ref_users)
        UNION ALL SELECT 'Tag', unnest($ref_tags)
    ) AS n
) AS c
WHERE c.readable IS NOT true
ORDER BY c.readable IS NOT NULL, c.kind, c.id
LIMIT 1
