-- Jobs of the projects the caller reads (the shape of server/db/listing.py), newest first.
-- $1 filter jsonpath, $2 filter vars jsonb, $3 sort key text, $4 descending bool,
-- $5 limit bigint, $6 offset bigint,
-- $7 software_ids bigint[] (NULL: every software), $8 project_ids bigint[] (NULL: every
-- project), $9 caller_id bigint, $10 caller_is_admin bool, $11 with_parameters bool,
-- $12 with_user bool
-- -> size bigint, items text (JSON array of Job objects)
SELECT size, items
FROM api_page(
    ARRAY(
        SELECT
            to_jsonb(v)
            - CASE WHEN $11 THEN '{}'::text [] ELSE ARRAY['jobParameters'] END
            - CASE WHEN $12 THEN '{}'::text [] ELSE ARRAY['username', 'userJob'] END
        FROM api_job AS v
        WHERE
            ($7::bigint [] IS NULL OR v.software = ANY ($7))
            AND ($8::bigint [] IS NULL OR v.project = ANY ($8))
            AND (
                $10 OR EXISTS (
                    SELECT 1 FROM project_member AS m
                    WHERE m.project_id = v.project AND m.user_id = $9
                )
            )
    ),
    $1::jsonpath, $2::jsonb, $3, $4, $5, $6
)
