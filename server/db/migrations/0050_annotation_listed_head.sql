-- The middle of each annotation's listing item, kept on its row: the fields of the `meta`
-- group that only the row decides (dates, image, slice, project, user and, for a reviewed
-- row, its reviewer and parent), then the `gis` group, then the kept term group
-- (terms_listed). Formatting them was most of the listing's per-row cost (numeric epoch
-- arithmetic, shortest float text, the centroid's coordinates): PostgreSQL now does it once,
-- when the row is written, and the viewer's listing (server/db/sql/annotation_list/
-- statement.sql) splices the text in when it shows all three groups.
-- The listing computes the same text when this is NULL, so NULL is slower, never wrong. It is
-- NULL when a part is missing: no kept term group (terms_listed NULL), no area or perimeter,
-- or a unit that JSON would have to escape (the listing's to_json then writes it).
-- The centroid column of 0038 goes: the head holds its text, and only the listing read it.
-- A generated column, so no writer has to keep it: every INSERT, UPDATE and COPY computes it.
-- Its expression may use only immutable functions: text is joined with || from explicit
-- casts (concat and to_json are stable), and the epoch is taken from an interval (extract
-- from a timestamptz is stable; from the difference to the epoch it is the same number).
ALTER TABLE annotation ADD COLUMN listed_head text GENERATED ALWAYS AS (
    ',"created":"'
    || floor(extract(EPOCH FROM created - '1970-01-01 00:00:00+00'::timestamptz) * 1000)::bigint::text
    || '","updated":'
    || coalesce(
        '"' || floor(
            extract(EPOCH FROM updated - '1970-01-01 00:00:00+00'::timestamptz) * 1000
        )::bigint::text || '"',
        'null'
    )
    || ',"image":' || image_id::text || ',"slice":' || slice_id::text
    || ',"project":' || project_id::text || ',"user":' || user_id::text
    || CASE WHEN kind = 'reviewed' THEN
        ',"reviewed":true,"reviewUser":' || coalesce(reviewer_id::text, 'null')
        || ',"parentIdent":' || coalesce(parent_id::text, 'null')
    ELSE '' END
    || ',"area":' || area::text || ',"areaUnit":"' || area_unit
    || '","perimeter":' || perimeter::text || ',"perimeterUnit":"' || perimeter_unit
    || '","centroid":{"x":' || st_x(st_centroid(location))::text
    || ',"y":' || st_y(st_centroid(location))::text || '}'
    || CASE WHEN area_unit || perimeter_unit !~ '["\\\x01-\x1f]' THEN terms_listed END
) STORED;

ALTER TABLE annotation DROP COLUMN centroid;
