-- Put new annotations in tracks, each on its annotation's slice (UniqueViolation: a track
-- already has an annotation on that slice).
-- $1 annotation_ids bigint[], $2 track_ids bigint[] (pairwise)
-- -> nothing
INSERT INTO annotation_track (annotation_id, track_id, slice_id, image_id)
SELECT a.id, p.track_id, a.slice_id, a.image_id
FROM unnest($1::bigint [], $2::bigint []) AS p (annotation_id, track_id)
INNER JOIN annotation AS a ON p.annotation_id = a.id
