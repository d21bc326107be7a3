-- Every human account, user jobs left out (the shape of server/db/listing.py).
-- $1 filter jsonpath, $2 filter vars jsonb, $3 sort key text, $4 descending bool,
-- $5 limit bigint, $6 offset bigint
-- -> size bigint, items text (JSON array of User objects)
SELECT size, items
FROM api_page(
    ARRAY(SELECT to_jsonb(v) FROM api_user AS v WHERE NOT v.algo),
    $1::jsonpath, $2::jsonb, $3, $4, $5, $6
)
