-- Whether an ontology exists and the caller may read it (to attach it to a project):
-- admins, its creator and members of a project using it read it.
-- $1 ontology_id bigint, $2 user_id bigint, $3 is_admin bool -> readable bool (no row: none)
SELECT
    (
        $3 OR o.user_id = $2 OR EXISTS (
            SELECT 1
            FROM project AS p
            JOIN project_member AS m ON m.project_id = p.id
            WHERE p.ontology_id = o.id AND m.user_id = $2
        )
    ) AS readable
FROM ontology AS o
WHERE o.id = $1
