-- Insert annotations of one kind, one per array position (arrays of equal length; ids
-- preallocated), check their parents (annotation_parents: the reviewer too), and count them
-- into their projects, their images and the overview (user annotations only). Geometry
-- arrives as 2-D WKB in the bottom-left pixel frame.
-- $1 ids bigint[], $2 image_ids bigint[], $3 slice_ids bigint[], $4 project_ids bigint[],
-- $5 user_ids bigint[], $6 locations bytea[], $7 areas float8[], $8 area_units text[],
-- $9 perimeters float8[], $10 perimeter_units text[], $11 geometry_compression float8,
-- $12 kind text, $13 parent_ids bigint[] (NULL items: none), $14 reviewer_id bigint,
-- $15 review_status int
-- -> nothing
WITH added AS (
    INSERT INTO annotation (
        id, image_id, slice_id, project_id, user_id, location,
        area, area_unit, perimeter, perimeter_unit, geometry_compression,
        kind, parent_id, reviewer_id, review_status
    )
    SELECT
        r.id, r.image_id, r.slice_id, r.project_id, r.user_id, st_geomfromwkb(r.wkb, 0),
        r.area, r.area_unit, r.perimeter, r.perimeter_unit, coalesce($11::float8, 0),
        $12, r.parent_id, $14, $15
    FROM unnest(
        $1::bigint [], $2::bigint [], $3::bigint [], $4::bigint [], $5::bigint [],
        $6::bytea [], $7::float8 [], $8::text [], $9::float8 [], $10::text [], $13::bigint []
    ) AS r (
        id, image_id, slice_id, project_id, user_id, wkb,
        area, area_unit, perimeter, perimeter_unit, parent_id
    )
    RETURNING id, project_id, image_id, slice_id, user_id, reviewer_id, kind, parent_id,
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

SELECT FROM checked, written
