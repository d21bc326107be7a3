-- One project as the API shows it (the caller's access is checked before); its annotation
-- count is the one the viewer sees (visible_annotation_count: hidden layers left out).
-- $1 project_id bigint, $2 viewer_id bigint (NULL: the stored total), $3 viewer_is_admin bool
-- -> json text (Project)
SELECT jsonb_set(
    to_jsonb(v),
    '{numberOfAnnotations}',
    to_jsonb(visible_annotation_count(v.id, NULL, v."numberOfAnnotations", $2, $3))
)::text
FROM api_project AS v
WHERE v.id = $1
