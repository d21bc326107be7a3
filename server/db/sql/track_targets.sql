-- Tracks named by a bulk annotation create: their image, name and the slices they already
-- hold an annotation on (a missing track has no row).
-- $1 track_ids bigint[]
-- -> id bigint, image_id bigint, name text, taken bigint[] (slice ids)
SELECT
    t.id,
    t.image_id,
    t.name,
    coalesce(
        (SELECT array_agg(r.slice_id) FROM annotation_track AS r WHERE r.track_id = t.id), '{}'
    ) AS taken
FROM track AS t
WHERE t.id = ANY($1::bigint [])
