-- The role links of one user.
-- $1 filter jsonpath, $2 filter vars jsonb, $3 sort key text, $4 descending bool,
-- $5 limit bigint, $6 offset bigint, $7 user_id bigint
-- -> size bigint, items text (JSON array of SecUserSecRole objects)
SELECT size, items
FROM api_page(
    ARRAY(SELECT to_jsonb(v) FROM api_sec_user_sec_role AS v WHERE v."user" = $7),
    $1::jsonpath, $2::jsonb, $3, $4, $5, $6
)
