-- Users sharing a project with a user (optionally one project), as the caller sees them.
-- $1 filter jsonpath, $2 filter vars jsonb, $3 sort key text, $4 descending bool,
-- $5 limit bigint, $6 offset bigint, $7 user_id bigint, $8 project_id bigint (NULL = any),
-- $9 caller_id bigint, $10 caller_is_admin bool
-- -> size bigint, items text (JSON array of User objects)
SELECT size, items
FROM api_page(
    ARRAY(
        SELECT
            to_jsonb(v)
            || CASE WHEN $10 OR v.id = $9 THEN '{}'::jsonb ELSE '{"email": null}'::jsonb END
        FROM api_user AS v
        WHERE EXISTS (
            SELECT 1
            FROM project_member AS mine
            JOIN project_member AS theirs ON theirs.project_id = mine.project_id
            WHERE
                mine.user_id = $7
                AND theirs.user_id = v.id
                AND ($8::bigint IS NULL OR mine.project_id = $8)
        )
    ),
    $1::jsonpath, $2::jsonb, $3, $4, $5, $6
)
