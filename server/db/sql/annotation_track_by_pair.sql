-- The link between one annotation and one track (no row: none).
-- $1 annotation_id bigint, $2 track_id bigint
-- -> obj text (AnnotationTrack object)
SELECT row_to_json(v)::text AS obj
FROM api_annotation_track AS v
WHERE v."annotationIdent" = $1 AND v.track = $2
