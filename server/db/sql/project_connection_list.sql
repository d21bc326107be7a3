-- Connections of one user to one project (access checked by the caller)
-- (the shape of server/db/listing.py); the open one reports its activity so far and, when
-- the user was active in the project in the last 5 minutes, "online": true.
-- $1 filter jsonpath, $2 filter vars jsonb, $3 sort key text, $4 descending bool,
-- $5 limit bigint, $6 offset bigint, $7 project_id bigint, $8 user_id bigint
-- -> size bigint, items text (JSON array of PersistentProjectConnection objects)
SELECT size, items
FROM api_page(
    ARRAY(
        SELECT
            to_jsonb(v) - 'created_at' - 'open'
            || CASE
                WHEN v.open AND EXISTS (
                    SELECT 1 FROM project_presence AS a
                    WHERE
                        a.user_id = $8 AND a.project_id = $7
                        AND a.created >= now() - interval '5 minutes'
                ) THEN '{"online": true}'::jsonb
                ELSE '{}'::jsonb
            END
        FROM api_project_connection AS v
        WHERE v.project = $7 AND v.user = $8
    ),
    $1::jsonpath, $2::jsonb, $3, $4, $5, $6
)
