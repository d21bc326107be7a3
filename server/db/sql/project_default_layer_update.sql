-- Change a default layer; the user must be a member of the project (else no row).
-- $1 project_id bigint, $2 id bigint, $3 user_id bigint (NULL keeps),
-- $4 hide_by_default bool (NULL keeps) -> id
UPDATE project_default_layer AS d SET
    updated = now(),
    user_id = coalesce($3, d.user_id),
    hide_by_default = coalesce($4, d.hide_by_default)
WHERE
    d.project_id = $1 AND d.id = $2
    AND EXISTS (
        SELECT 1 FROM project_member AS m
        WHERE m.project_id = $1 AND m.user_id = coalesce($3, d.user_id)
    )
RETURNING d.id
