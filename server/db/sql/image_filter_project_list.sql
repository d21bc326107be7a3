-- Filters enabled in the projects the caller reads (admins: every project), or in one.
-- $1 filter jsonpath, $2 filter vars jsonb, $3 sort key text, $4 descending bool,
-- $5 limit bigint, $6 offset bigint, $7 caller_id bigint, $8 bypass bool (admin session),
-- $9 project_id bigint (NULL: any)
-- -> size bigint, items text (JSON array of ImageFilterProject objects)
SELECT size, items
FROM api_page(
    ARRAY(
        SELECT to_jsonb(v)
        FROM api_image_filter_project AS v
        WHERE
            ($8 OR project_readable(v.project, $7))
            AND ($9::bigint IS NULL OR v.project = $9)
    ),
    $1::jsonpath, $2::jsonb, $3, $4, $5, $6
)
