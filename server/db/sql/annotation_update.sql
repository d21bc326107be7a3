-- Replace an annotation's geometry (2-D WKB, bottom-left pixel frame), measures and slice; a
-- new centre moves it, terms included, in the overview (its old place read under the row
-- lock the update takes anyway). The slice is the one reference it sets: checked
-- (annotation_parents), as an undo may put back one deleted since.
-- $1 annotation_id bigint, $2 location bytea, $3 area float8, $4 area_unit text,
-- $5 perimeter float8, $6 perimeter_unit text, $7 slice_id bigint,
-- $8 geometry_compression float8 (NULL: unchanged), $9 image_id bigint (the annotation's: its
-- lock is taken on the image's rows, one shard of a distributed table) -> nothing
WITH old AS (
    SELECT
        a.id, a.image_id, a.user_id, a.kind,
        annotation_overview_x(a.location) AS x, annotation_overview_y(a.location) AS y
    FROM annotation AS a
    WHERE a.id = $1 AND a.image_id = $9
    FOR UPDATE
),

moved AS (
    UPDATE annotation
    SET
        location = st_geomfromwkb($2, 0),
        area = $3,
        area_unit = $4,
        perimeter = $5,
        perimeter_unit = $6,
        slice_id = $7,
        geometry_compression = coalesce($8, geometry_compression),
        updated = now()
    WHERE id = (SELECT old.id FROM old) AND image_id = $9
    RETURNING
        id, image_id, user_id, kind,
        annotation_overview_x(location) AS x, annotation_overview_y(location) AS y, slice_id
),

checked AS (
    SELECT annotation_parents(NULL, array_agg(moved.slice_id), NULL, NULL)
    FROM moved
),

changes AS (
    SELECT old.*, -1 AS n FROM old
    UNION ALL
    SELECT moved.id, moved.image_id, moved.user_id, moved.kind, moved.x, moved.y, 1 FROM moved
),

logged AS (
    SELECT annotation_overview_rows(
        array_agg(c.id), array_agg(c.image_id), array_agg(c.user_id), array_agg(c.kind),
        array_agg(c.x), array_agg(c.y), array_agg(c.n)
    )
    FROM changes AS c
    WHERE EXISTS (
        SELECT 1 FROM old JOIN moved ON (old.x, old.y) IS DISTINCT FROM (moved.x, moved.y)
    )
)

SELECT FROM checked, logged
