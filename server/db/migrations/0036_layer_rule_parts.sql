-- The hidden-layer rule (layer_visible, migration 0029) rests on one description of what each
-- member may see of a project's layers, which statements share: a listing reads the projects
-- whose every layer the caller sees once per statement, and asks layer_visible per row only for
-- the annotations of the other projects. What the rule answers is unchanged.

-- The projects `u_id` is a member of: whether they see every layer there (they manage it or it
-- hides none), and which layers it hides from them otherwise.
CREATE FUNCTION member_layers(u_id bigint)
RETURNS TABLE (project_id bigint, every_layer boolean, hide_users boolean, hide_admins boolean)
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT
        m.project_id,
        m.is_manager OR NOT (p.hide_users_layers OR p.hide_admins_layers),
        p.hide_users_layers,
        p.hide_admins_layers
    FROM project_member AS m
    INNER JOIN project AS p ON m.project_id = p.id
    WHERE m.user_id = u_id
$$;

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
