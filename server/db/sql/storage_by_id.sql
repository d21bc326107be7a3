-- One storage with what a user may do on it.
-- $1 storage_id bigint, $2 user_id bigint
-- -> obj text (Storage object), access text (ADMINISTRATION, READ, WRITE or NULL)
SELECT
    row_to_json(v)::text AS obj,
    CASE
        WHEN v."user" = $2 THEN 'ADMINISTRATION'
        ELSE (
            SELECT m.permission FROM storage_member AS m
            WHERE m.storage_id = v.id AND m.user_id = $2
        )
    END AS access
FROM api_storage AS v
WHERE v.id = $1
