-- Job data of one job (the caller's right to read its project is checked before).
-- $1 filter jsonpath, $2 filter vars jsonb, $3 sort key text, $4 descending bool,
-- $5 limit bigint, $6 offset bigint, $7 job_id bigint
-- -> size bigint, items text (JSON array of JobData objects)
SELECT size, items
FROM api_page(
    ARRAY(
        SELECT to_jsonb(v)
        FROM api_job_data AS v
        WHERE v.job = $7
    ),
    $1::jsonpath, $2::jsonb, $3, $4, $5, $6
)
