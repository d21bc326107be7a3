-- Job data of every job whose project the caller reads (all of them for admins), in the shape
-- of server/db/listing.py.
-- $1 filter jsonpath, $2 filter vars jsonb, $3 sort key text, $4 descending bool,
-- $5 limit bigint, $6 offset bigint, $7 user_id bigint, $8 is_admin bool
-- -> size bigint, items text (JSON array of JobData objects)
SELECT size, items
FROM api_page(
    ARRAY(
        SELECT to_jsonb(v)
        FROM api_job_data AS v
        INNER JOIN job AS j ON v.job = j.id
        WHERE $8 OR project_readable(j.project_id, $7)
    ),
    $1::jsonpath, $2::jsonb, $3, $4, $5, $6
)
