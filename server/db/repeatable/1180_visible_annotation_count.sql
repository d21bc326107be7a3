-- The number of user annotations a viewer sees in a project, or in one of its images: the
-- stored counter when no layer is hidden from them (admins, managers, projects hiding no
-- layer, or no viewer given), else a count of the annotations layer_visible() lets them see.
CREATE OR REPLACE FUNCTION visible_annotation_count(
    p_id bigint, i_id bigint, stored bigint, u_id bigint, is_admin boolean
) RETURNS bigint
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT CASE
        WHEN
            u_id IS NULL
            OR is_admin
            OR NOT EXISTS (
                SELECT 1 FROM project AS p
                WHERE p.id = p_id AND (p.hide_users_layers OR p.hide_admins_layers)
            )
            OR EXISTS (
                SELECT 1 FROM project_member AS m
                WHERE m.project_id = p_id AND m.user_id = u_id AND m.is_manager
            )
        THEN stored
        ELSE (
            SELECT count(*)
            FROM annotation AS a
            WHERE
                a.project_id = p_id
                AND (i_id IS NULL OR a.image_id = i_id)
                AND a.kind = 'user'
                AND layer_visible(p_id, a.user_id, u_id, false)
        )
    END
$$;
