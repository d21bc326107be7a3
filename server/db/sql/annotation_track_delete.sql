-- Take an annotation out of a track.
-- $1 annotation_track_id bigint
-- -> nothing
DELETE FROM annotation_track WHERE id = $1
