-- Replace an annotation's geometry (2-D WKB, bottom-left pixel frame), measures and slice.
-- $1 annotation_id bigint, $2 location bytea, $3 area float8, $4 area_unit text,
-- $5 perimeter float8, $6 perimeter_unit text, $7 slice_id bigint,
-- $8 geometry_compression float8 (NULL: unchanged) -> nothing
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
WHERE id = $1
