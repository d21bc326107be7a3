-- Put a deleted user annotation back under its own id, owner and creation time, counted into
-- its project and image again.
-- $1 id bigint, $2 created text (ISO time), $3 image_id bigint, $4 slice_id bigint,
-- $5 project_id bigint, $6 user_id bigint, $7 location bytea (WKB), $8 area float8,
-- $9 area_unit text, $10 perimeter float8, $11 perimeter_unit text,
-- $12 geometry_compression float8 -> nothing
WITH added AS (
    INSERT INTO annotation (
        id, created, updated, image_id, slice_id, project_id, user_id, location,
        area, area_unit, perimeter, perimeter_unit, geometry_compression
    )
    VALUES (
        $1, $2::text::timestamptz, now(), $3, $4, $5, $6, st_geomfromwkb($7, 0), $8, $9, $10,
        $11, $12
    )
    RETURNING project_id, image_id, kind
),

counted AS (
    SELECT annotation_count_change(
        array_agg(added.project_id), array_agg(added.image_id), array_agg(added.kind), 1
    )
    FROM added
)

SELECT FROM counted
