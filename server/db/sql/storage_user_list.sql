-- Members of a storage (its owner included), as the caller sees them.
-- $1 filter jsonpath, $2 filter vars jsonb, $3 sort key text, $4 descending bool,
-- $5 limit bigint, $6 offset bigint, $7 storage_id bigint, $8 caller_id bigint,
-- $9 caller_is_admin bool
-- -> size bigint, items text (JSON array of User objects)
SELECT size, items
FROM api_page(
    ARRAY(
        SELECT
            to_jsonb(v)
            || CASE WHEN $9 OR v.id = $8 THEN '{}'::jsonb ELSE '{"email": null}'::jsonb END
        FROM api_user AS v
        WHERE
            EXISTS (
                SELECT 1 FROM storage_member AS m
                WHERE m.storage_id = $7 AND m.user_id = v.id
            )
            OR EXISTS (SELECT 1 FROM storage AS s WHERE s.id = $7 AND s.user_id = v.id)
    ),
    $1::jsonpath, $2::jsonb, $3, $4, $5, $6
)
