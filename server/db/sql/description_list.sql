-- Every description (admins), in the list statement's standard shape.
-- $1 filter jsonpath, $2 filter vars jsonb, $3 sort key text, $4 descending bool,
-- $5 limit bigint (NULL = all), $6 offset bigint
-- -> size bigint, items text (JSON array of Description)
SELECT size, items
FROM api_page(
    ARRAY(SELECT to_jsonb(v) FROM api_description AS v),
    $1::jsonpath, $2::jsonb, $3, $4, $5, $6
)
