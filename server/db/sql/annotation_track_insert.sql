-- Put an annotation in a track, on the annotation's slice (UniqueViolation: the annotation is
-- already in the track, or the track already has an annotation on that slice).
-- $1 annotation_id bigint, $2 track_id bigint
-- -> id bigint
INSERT INTO annotation_track (annotation_id, track_id, slice_id, image_id)
SELECT a.id, $2, a.slice_id, a.image_id
FROM annotation AS a
WHERE a.id = $1
RETURNING id
