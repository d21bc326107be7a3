-- Store (replace) the project keys a manager set for one project.
-- $1 project_id bigint, $2 user_id bigint, $3 config jsonb (key -> {ADMIN_PROJECT,
-- CONTRIBUTOR_PROJECT}, keys already checked against custom_ui_project_default)
INSERT INTO custom_ui_project (project_id, user_id, config)
VALUES ($1, $2, $3::jsonb)
ON CONFLICT (project_id) DO UPDATE
SET config = excluded.config, user_id = excluded.user_id, updated = now()
