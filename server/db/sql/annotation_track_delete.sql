-- Take an annotation out of a track.
-- $1 annotation_track_id bigint
-- -> id bigint (no row: a concurrent request deleted it first)
DELETE FROM annotation_track WHERE id = $1
RETURNING id
