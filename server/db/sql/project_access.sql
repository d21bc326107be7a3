-- What one caller may do in one project, computed in one statement (no row: no project).
-- $1 project_id bigint, $2 user_id bigint, $3 is_admin bool (admin session open),
-- $4 is_guest bool
-- -> project_id, is_member, is_manager, can_read, can_write, can_manage, is_read_only,
--    is_restricted, blind_mode, hide_users_layers, hide_admins_layers, ontology_id
SELECT
    p.id AS project_id,
    m.user_id IS NOT NULL AS is_member,
    coalesce(m.is_manager, false) AS is_manager,
    ($3 OR m.user_id IS NOT NULL) AS can_read,
    (
        NOT $4 AND (
            $3 OR (m.user_id IS NOT NULL AND (NOT p.is_read_only OR m.is_manager))
        )
    ) AS can_write,
    (NOT $4 AND ($3 OR coalesce(m.is_manager, false))) AS can_manage,
    p.is_read_only,
    p.is_restricted,
    p.blind_mode,
    p.hide_users_layers,
    p.hide_admins_layers,
    p.ontology_id
FROM project AS p
LEFT JOIN project_member AS m ON m.project_id = p.id AND m.user_id = $2
WHERE p.id = $1
