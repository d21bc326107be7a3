-- The project keys in force in one project, each with its manager and contributor setting.
-- $1 project_id bigint
-- -> json text (object of key -> {ADMIN_PROJECT, CONTRIBUTOR_PROJECT})
SELECT jsonb_object_agg(s.key, s.setting ORDER BY s.ordinal)::text
FROM custom_ui_project_settings($1) AS s
