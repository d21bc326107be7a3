-- Whether the caller sees the annotations of `owner_id` in `p_id` (Cytomine's hideUsersLayers
-- and hideAdminsLayers): admins and managers see every layer, members their own and the layers
-- the project does not hide (a manager's layer is an admin layer); non-members see none.
CREATE OR REPLACE FUNCTION layer_visible(
    p_id bigint, owner_id bigint, u_id bigint, is_admin boolean
) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT is_admin OR EXISTS (
        SELECT 1 FROM member_layers(u_id) AS l
        WHERE
            l.project_id = p_id
            AND (
                l.every_layer
                OR owner_id = u_id
                OR NOT CASE
                    WHEN EXISTS (
                        SELECT 1 FROM project_member AS o
                        WHERE o.project_id = p_id AND o.user_id = owner_id AND o.is_manager
                    ) THEN l.hide_admins
                    ELSE l.hide_users
                END
            )
    )
$$;
