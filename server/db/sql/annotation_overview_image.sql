-- The image an overview, vector tile or clustered listing reads: its project (for the
-- permission check), size and annotation version (bumped by every write: the ETag).
-- $1 image_id bigint (NULL: the image of the slice), $2 slice_id bigint
-- -> id bigint, project_id bigint, width int, height int, version bigint (no row: unknown image)
SELECT
    i.id,
    i.project_id,
    g.width,
    g.height,
    coalesce(v.version, 0) AS version
FROM image_instance AS i
JOIN abstract_image AS g ON g.id = i.base_image_id
LEFT JOIN annotation_overview_version AS v ON v.image_id = i.id
WHERE i.id = coalesce($1::bigint, (SELECT s.image_id FROM slice_instance AS s WHERE s.id = $2))
