-- What an annotation crop needs, and whether the caller may read the annotation's project.
-- $1 annotation_id bigint, $2 user_id bigint, $3 bypass bool (admin)
-- -> kind text, slice_id bigint, location text (WKT, bottom-left pixels), allowed bool
SELECT
    a.kind,
    a.slice_id,
    ST_AsText(a.location) AS location,
    ($3 OR project_readable(a.project_id, $2)) AS allowed
FROM annotation AS a
WHERE a.id = $1
