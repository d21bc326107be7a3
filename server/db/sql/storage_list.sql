-- Storages a user may read (member or owner); with bypass (admin, all=true) every storage.
-- $1 filter jsonpath, $2 filter vars jsonb, $3 sort key text, $4 descending bool,
-- $5 limit bigint, $6 offset bigint, $7 caller_id bigint, $8 bypass bool
-- -> size bigint, items text (JSON array of Storage objects)
SELECT size, items
FROM api_page(
    ARRAY(
        SELECT to_jsonb(v)
        FROM api_storage AS v
        WHERE
            $8
            OR v."user" = $7
            OR EXISTS (
                SELECT 1 FROM storage_member AS m
                WHERE m.storage_id = v.id AND m.user_id = $7
            )
    ),
    $1::jsonpath, $2::jsonb, $3, $4, $5, $6
)
