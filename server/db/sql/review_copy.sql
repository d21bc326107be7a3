-- Validate annotations: copy each (geometry, measures, slice, owner) into a reviewed
-- annotation that points back to it, with the reviewer and status 1, counted into its project
-- and image (the overview counts only user annotations: annotation_overview_rows). Already
-- reviewed ones are skipped (one copy per annotation). The parents are checked on the copies
-- (annotation_parents): they come from the originals, which a concurrent delete of their
-- image may be removing.
-- $1 annotation_ids bigint[], $2 reviewer_id bigint
-- -> id bigint (the new reviewed annotation), parent_id bigint
WITH added AS (
    INSERT INTO annotation (
        image_id, slice_id, project_id, user_id, location, area, area_unit,
        perimeter, perimeter_unit, geometry_compression, kind, parent_id, reviewer_id,
        review_status
    )
    SELECT
        a.image_id, a.slice_id, a.project_id, a.user_id, a.location, a.area, a.area_unit,
        a.perimeter, a.perimeter_unit, a.geometry_compression, 'reviewed', a.id, $2::bigint, 1
    FROM annotation AS a
    WHERE a.id = ANY($1::bigint []) AND a.kind <> 'reviewed'
    ORDER BY a.id
    ON CONFLICT (parent_id, image_id) WHERE parent_id IS NOT NULL DO NOTHING
    RETURNING id, parent_id, project_id, image_id, slice_id, user_id, reviewer_id, kind,
        annotation_overview_x(location) AS x, annotation_overview_y(location) AS y
),

checked AS (
    SELECT annotation_parents(
        array_agg(added.image_id), array_agg(added.slice_id), array_agg(added.project_id),
        array_agg(added.user_id) || array_agg(added.reviewer_id)
    )
    FROM added
),

written AS (
    SELECT annotation_rows_written(
        array_agg(added.id), array_agg(added.project_id), array_agg(added.image_id),
        array_agg(added.user_id), array_agg(added.kind), array_agg(added.parent_id),
        array_agg(added.x), array_agg(added.y),
        1
    )
    FROM added
)

SELECT
    added.id,
    added.parent_id
FROM added, checked, written
ORDER BY added.id
