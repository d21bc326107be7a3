-- Read rights used by the image statements (admins bypass them in the statements).
CREATE OR REPLACE FUNCTION storage_readable(storage_id bigint, user_id bigint) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT EXISTS (SELECT 1 FROM storage AS s WHERE s.id = $1 AND s.user_id = $2)
        OR EXISTS (
            SELECT 1 FROM storage_member AS m WHERE m.storage_id = $1 AND m.user_id = $2
        )
$$;
