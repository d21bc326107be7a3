-- The project keys in force in one project: each key's stored override, else its default.
-- With a NULL project, the defaults.
CREATE OR REPLACE FUNCTION custom_ui_project_settings(target_project bigint)
RETURNS TABLE (key text, setting jsonb, ordinal integer)
LANGUAGE sql STABLE
AS $$
    SELECT
        d.key,
        coalesce(
            s.config -> d.key,
            jsonb_build_object(
                'ADMIN_PROJECT', d.admin_project,
                'CONTRIBUTOR_PROJECT', d.contributor_project
            )
        ),
        d.ordinal
    FROM custom_ui_project_default AS d
    LEFT JOIN custom_ui_project AS s ON s.project_id = target_project
$$;
