-- Users sharing a project with a user (optionally one project), as the caller sees them.
-- $1 filter jsonpath, $2 filter vars jsonb, $3 sort key text, $4 descending bool,
-- $5 limit bigint, $6 offset bigint, $7 user_id bigint, $8 project_id bigint (NULL = any),
-- $9 caller_id bigint, $10 caller_is_admin bool
-- -> size bigint, items text (JSON array of User objects)
WITH matched AS (
    SELECT d.doc
    FROM (
        SELECT
            to_jsonb(v)
            || CASE WHEN $10 OR v.id = $9 THEN '{}'::jsonb ELSE '{"email": null}'::jsonb END
            AS doc
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
    ) AS d
    WHERE jsonb_path_exists(d.doc, $1::jsonpath, $2::jsonb)
)

SELECT
    (SELECT count(*) FROM matched) AS size,
    (
        SELECT json_agg(p.doc ORDER BY p.n)::text
        FROM (
            SELECT
                doc,
                row_number() OVER (
                    ORDER BY
                        CASE WHEN $4 THEN doc -> $3 END DESC NULLS LAST,
                        CASE WHEN NOT $4 THEN doc -> $3 END ASC NULLS LAST,
                        (doc ->> 'id')::bigint DESC
                ) AS n
            FROM matched
            ORDER BY n
            LIMIT $5 OFFSET $6
        ) AS p
    ) AS items
