-- The projects `u_id` is a member of: whether they see every layer there (they manage it or it
-- hides none), and which layers it hides from them otherwise.
CREATE OR REPLACE FUNCTION member_layers(u_id bigint)
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
