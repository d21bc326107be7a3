-- Insert user annotations, one per array position (arrays of equal length; ids preallocated),
-- check their parents (annotation_parents), and log what they add to the overview (under
-- term 0: they have no term links yet, and the statement that links them logs those). The
-- caller counts them into their projects and images last, just before its commit
-- (annotation_count_added). Geometry arrives as 2-D WKB in the bottom-left pixel frame.
-- $1 ids bigint[], $2 image_ids bigint[], $3 slice_ids bigint[], $4 project_ids bigint[],
-- $5 user_id bigint, $6 locations bytea[], $7 areas float8[], $8 area_units text[],
-- $9 perimeters float8[], $10 perimeter_units text[], $11 geometry_compression float8,
-- $12 terms_listed text[] (each row's term group, as its links will make it; see
-- server/db/store/terms_listed.py) -> nothing
WITH added AS (
    INSERT INTO annotation (
        id, image_id, slice_id, project_id, user_id, location,
        area, area_unit, perimeter, perimeter_unit, geometry_compression, terms_listed
    )
    SELECT
        r.id, r.image_id, r.slice_id, r.project_id, $5, st_geomfromwkb(r.wkb, 0),
        r.area, r.area_unit, r.perimeter, r.perimeter_unit, coalesce($11::float8, 0), r.listed
    FROM unnest(
        $1::bigint [], $2::bigint [], $3::bigint [], $4::bigint [],
        $6::bytea [], $7::float8 [], $8::text [], $9::float8 [], $10::text [], $12::text []
    ) AS r (
        id, image_id, slice_id, project_id, wkb, area, area_unit, perimeter, perimeter_unit, listed
    )
    RETURNING image_id, slice_id, project_id, user_id,
        annotation_overview_x(location) AS x, annotation_overview_y(location) AS y
),

checked AS (
    SELECT annotation_parents(
        array_agg(added.image_id), array_agg(added.slice_id), array_agg(added.project_id),
        array_agg(added.user_id)
    )
    FROM added
),

logged AS (
    SELECT annotation_overview_apply(
        array_agg(added.image_id), array_agg(added.user_id), array_agg(0::bigint),
        array_agg(added.x), array_agg(added.y), array_agg(1)
    )
    FROM added
)

SELECT FROM checked, logged
