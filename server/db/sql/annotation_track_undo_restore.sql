-- Make an annotation's track links exactly the given ones: links not listed go, missing ones
-- come back under their own id (a track that was deleted meanwhile is skipped).
-- $1 annotation_id bigint, $2 ids bigint[], $3 track_ids bigint[], $4 slice_ids bigint[],
-- $5 created text[] (ISO times) -> nothing
WITH wanted AS (
    SELECT w.id, w.track_id, w.slice_id, w.created::timestamptz AS created
    FROM unnest($2::bigint [], $3::bigint [], $4::bigint [], $5::text []) AS w (
        id, track_id, slice_id, created
    )
),

gone AS (
    DELETE FROM annotation_track AS k
    WHERE k.annotation_id = $1
        AND NOT EXISTS (SELECT 1 FROM wanted AS w WHERE w.track_id = k.track_id)
)

INSERT INTO annotation_track (id, created, annotation_id, track_id, slice_id, image_id)
SELECT w.id, w.created, a.id, w.track_id, w.slice_id, a.image_id
FROM wanted AS w
INNER JOIN annotation AS a ON a.id = $1
INNER JOIN track AS t ON t.id = w.track_id
INNER JOIN slice_instance AS s ON s.id = w.slice_id
ON CONFLICT DO NOTHING
