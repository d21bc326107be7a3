-- Every software, optionally only those that can run (the shape of server/db/listing.py).
-- $1 filter jsonpath, $2 filter vars jsonb, $3 sort key text, $4 descending bool,
-- $5 limit bigint, $6 offset bigint, $7 executable_only bool
-- -> size bigint, items text (JSON array of Software objects)
SELECT size, items
FROM api_page(
    ARRAY(SELECT to_jsonb(v) FROM api_software AS v WHERE NOT $7 OR v.executable),
    $1::jsonpath, $2::jsonb, $3, $4, $5, $6
)
