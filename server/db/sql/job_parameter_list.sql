-- Parameter values of the jobs the caller reads, or of one job (the shape of
-- server/db/listing.py).
-- $1 filter jsonpath, $2 filter vars jsonb, $3 sort key text, $4 descending bool,
-- $5 limit bigint, $6 offset bigint,
-- $7 job_id bigint (NULL: every readable job), $8 caller_id bigint, $9 caller_is_admin bool
-- -> size bigint, items text (JSON array of JobParameter objects)
SELECT size, items
FROM api_page(
    ARRAY(
        SELECT to_jsonb(v)
        FROM api_job_parameter AS v
        JOIN job AS j ON j.id = v.job
        WHERE
            ($7::bigint IS NULL OR v.job = $7)
            AND (
                $9 OR EXISTS (
                    SELECT 1 FROM project_member AS m
                    WHERE m.project_id = j.project_id AND m.user_id = $8
                )
            )
    ),
    $1::jsonpath, $2::jsonb, $3, $4, $5, $6
)
