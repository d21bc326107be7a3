-- Put a deleted user annotation back under its own id, owner and creation time, counted into
-- its project, its image and the overview again (its term links come back after it); a parent
-- gone since is a foreign key violation (annotation_parents). It is flagged reviewed when its
-- reviewed copy is still there: the copy is read locked, so a concurrent delete of it either
-- commits first (the flag is false) or waits until this transaction commits (and then finds this
-- row to clear the flag of).
-- $1 id bigint, $2 created text (ISO time), $3 image_id bigint, $4 slice_id bigint,
-- $5 project_id bigint, $6 user_id bigint, $7 location bytea (WKB), $8 area float8,
-- $9 area_unit text, $10 perimeter float8, $11 perimeter_unit text,
-- $12 geometry_compression float8 -> nothing
WITH kept_copy AS (
    SELECT r.id
    FROM annotation AS r
    WHERE r.parent_id = $1 AND r.image_id = $3 AND r.kind = 'reviewed'
    FOR KEY SHARE
),

added AS (
    INSERT INTO annotation (
        id, created, updated, image_id, slice_id, project_id, user_id, location,
        area, area_unit, perimeter, perimeter_unit, geometry_compression, reviewed
    )
    VALUES (
        $1, $2::text::timestamptz, now(), $3, $4, $5, $6, st_geomfromwkb($7, 0), $8, $9, $10,
        $11, $12,
        -- Its reviewed copy outlives a delete (as Cytomine keeps it): the flag says so again.
        EXISTS (SELECT FROM kept_copy)
    )
    RETURNING id, project_id, image_id, slice_id, user_id, kind, parent_id,
        annotation_overview_x(location) AS x, annotation_overview_y(location) AS y
),

checked AS (
    SELECT annotation_parents(
        array_agg(added.image_id), array_agg(added.slice_id), array_agg(added.project_id),
        array_agg(added.user_id)
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
