CREATE OR REPLACE FUNCTION project_readable(project_id bigint, user_id bigint) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT EXISTS (
        SELECT 1 FROM project_member AS m WHERE m.project_id = $1 AND m.user_id = $2
    )
$$;
