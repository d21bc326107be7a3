-- One import job, for its owner, an admin or a member of its project (no row: none visible).
-- $1 id bigint, $2 user_id bigint, $3 is_admin bool -> obj text
SELECT row_to_json(v)::text AS obj
FROM api_annotation_import AS v
WHERE
    v.id = $1
    AND (
        $3 OR v."user" = $2
        OR EXISTS (
            SELECT 1 FROM project_member AS m WHERE m.project_id = v.project AND m.user_id = $2
        )
    )
