-- Delete the user annotations a filter matches among those the caller may change, count them
-- out of their projects and images, and record one command for them all.
-- $1 project_id bigint, $2 image_ids bigint[] (NULL: all), $3 user_ids bigint[] (NULL: all),
-- $4 term_ids bigint[] (NULL: any), $5 bbox float8[4] minx,miny,maxx,maxy (NULL: anywhere),
-- $6 user_id bigint (caller), $7 is_admin bool, $8 is_guest bool
-- -> count bigint, annotations bigint[] (the deleted ones, for removed_cascade; NULL: none)
WITH gone AS (
    DELETE FROM annotation AS a
    USING project AS p
    LEFT JOIN project_member AS m ON m.project_id = p.id AND m.user_id = $6
    WHERE p.id = a.project_id AND
        a.project_id = $1
        AND a.kind = 'user'
        AND ($2::bigint [] IS NULL OR a.image_id = ANY($2))
        AND ($3::bigint [] IS NULL OR a.user_id = ANY($3))
        AND (
            $4::bigint [] IS NULL OR EXISTS (
                SELECT 1 FROM annotation_term AS f
                WHERE f.annotation_id = a.id AND f.term_id = ANY($4)
            )
        )
        AND ($5::float8 [] IS NULL OR st_intersects(
            a.location, st_makeenvelope($5[1], $5[2], $5[3], $5[4], 0)
        ))
        -- Write rights (Cytomine): admins; else members, not guests, managers only in read-only
        -- projects, and in restricted projects contributors touch only their own annotations.
        AND NOT $8
        AND (
            $7 OR (
                m.user_id IS NOT NULL
                AND (NOT p.is_read_only OR m.is_manager)
                AND (NOT p.is_restricted OR m.is_manager OR a.user_id = $6)
            )
        )
    RETURNING a.id, a.project_id, a.image_id, a.user_id, a.kind, a.parent_id,
        annotation_overview_x(a.location) AS x, annotation_overview_y(a.location) AS y
),

written AS (
    SELECT annotation_rows_written(
        array_agg(gone.id), array_agg(gone.project_id), array_agg(gone.image_id),
        array_agg(gone.user_id), array_agg(gone.kind), array_agg(gone.parent_id),
        array_agg(gone.x), array_agg(gone.y),
        -1
    )
    FROM gone
),

cmd AS (
    INSERT INTO command (user_id, project_id, type, class_name, object_id, data)
    SELECT $6, $1, 'DELETE', 'be.cytomine.domain.ontology.UserAnnotation', min(id),
        jsonb_build_object('count', count(*), 'ids', jsonb_agg(id ORDER BY id))
    FROM gone
    HAVING count(*) > 0
)
SELECT
    count(*) AS count,
    array_agg(gone.id) AS annotations
FROM gone, written
