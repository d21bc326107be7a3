-- multipleTrack: annotations in more than one track.
-- $multiple_track boolean

(
    NOT $multiple_track
    OR (SELECT count(DISTINCT r.track_id) FROM annotation_track AS r WHERE r.annotation_id = a.id) > 1
)
