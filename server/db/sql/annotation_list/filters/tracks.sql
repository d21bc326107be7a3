-- Tracks: in one of these tracks; noTrack: in none.
-- $tracks bigint[]
-- $no_track boolean

(
    ($tracks IS NULL AND NOT $no_track)
    OR EXISTS (
        SELECT 1 FROM annotation_track AS r
        WHERE r.annotation_id = a.id AND r.track_id = ANY($tracks)
    )
    OR ($no_track AND NOT EXISTS (SELECT 1 FROM annotation_track AS r WHERE r.annotation_id = a.id))
)
