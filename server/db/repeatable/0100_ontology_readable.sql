CREATE OR REPLACE FUNCTION ontology_readable(o_id bigint, u_id bigint, is_admin boolean)
RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT is_admin
        OR EXISTS (SELECT 1 FROM ontology AS o WHERE o.id = o_id AND o.user_id = u_id)
        OR EXISTS (
            SELECT 1
            FROM project AS p
            JOIN project_member AS m ON m.project_id = p.id
            WHERE p.ontology_id = o_id AND m.user_id = u_id
        )
$$;
