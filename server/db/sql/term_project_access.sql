-- The ontology of a project and whether the caller may read the project (no row: no project).
-- $1 project_id bigint, $2 user_id bigint, $3 is_admin bool
-- -> ontology_id bigint (nullable), readable bool
SELECT
    p.ontology_id,
    $3 OR EXISTS (
        SELECT 1 FROM project_member AS m WHERE m.project_id = p.id AND m.user_id = $2
    ) AS readable
FROM project AS p
WHERE p.id = $1
