-- A project named by a IIIF Presentation manifest, and whether the caller may read it.
-- $1 project_id bigint, $2 user_id bigint, $3 bypass bool (admin)
-- -> name text, allowed bool (no row: no project)
SELECT
    p.name,
    ($3 OR project_readable(p.id, $2)) AS allowed
FROM project AS p
WHERE p.id = $1
