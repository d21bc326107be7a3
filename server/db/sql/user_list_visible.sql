-- Every human account (user jobs left out) as a given caller sees it: others' e-mail hidden unless the caller is an
-- admin; with_roles adds the highest role as "role". (Shape of server/db/listing.py.)
-- $1 filter jsonpath, $2 filter vars jsonb, $3 sort key text, $4 descending bool,
-- $5 limit bigint, $6 offset bigint, $7 caller_id bigint, $8 caller_is_admin bool,
-- $9 with_roles bool
-- -> size bigint, items text (JSON array of User objects)
SELECT size, items
FROM api_page(
    ARRAY(
        SELECT
            to_jsonb(v)
            || CASE WHEN $8 OR v.id = $7 THEN '{}'::jsonb ELSE '{"email": null}'::jsonb END
            || CASE WHEN $9 THEN jsonb_build_object('role', r.authority) ELSE '{}'::jsonb END
        FROM api_user AS v
        JOIN user_rank AS ur ON ur.user_id = v.id
        LEFT JOIN sec_role AS r ON r.rank = ur.rank
        WHERE NOT v.algo
    ),
    $1::jsonpath, $2::jsonb, $3, $4, $5, $6
)
