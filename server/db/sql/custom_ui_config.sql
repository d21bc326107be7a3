-- The Web UI's flat map of what it shows to one caller: global keys by the caller's current
-- roles, then (with a project) the project keys for the caller's place in that project.
-- Admins (session open) see every project key, managers the ADMIN_PROJECT setting, anyone
-- else the CONTRIBUTOR_PROJECT setting.
-- $1 user_id bigint, $2 admin_by_now bool (ROLE_ADMIN counts only with the session open),
-- $3 project_id bigint (NULL: global keys only)
-- -> json text (object of key -> boolean)
WITH held AS (
    SELECT coalesce(array_agg(r.authority), '{}') AS authorities
    FROM sec_user_sec_role AS ur
    INNER JOIN sec_role AS r ON ur.role_id = r.id
    WHERE ur.user_id = $1 AND (r.authority <> 'ROLE_ADMIN' OR $2)
),

place AS (
    SELECT coalesce(
        (
            SELECT m.is_manager FROM project_member AS m
            WHERE m.project_id = $3 AND m.user_id = $1
        ),
        false
    ) AS is_manager
),

shown AS (
    SELECT
        g.key,
        ('ALL' = any(g.roles) OR g.roles && held.authorities) AS visible
    FROM custom_ui_global AS g, held
    UNION ALL
    SELECT
        s.key,
        CASE
            WHEN $2 THEN true
            WHEN place.is_manager THEN coalesce((s.setting ->> 'ADMIN_PROJECT')::boolean, false)
            ELSE coalesce((s.setting ->> 'CONTRIBUTOR_PROJECT')::boolean, false)
        END
    FROM custom_ui_project_settings($3) AS s, place
    WHERE $3::bigint IS NOT NULL
)

SELECT jsonb_object_agg(shown.key, shown.visible)::text
FROM shown
