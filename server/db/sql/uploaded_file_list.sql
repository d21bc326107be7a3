-- Uploaded files of the storages the caller reads (every file with bypass).
-- $1 filter jsonpath, $2 filter vars jsonb, $3 sort key text, $4 descending bool,
-- $5 limit bigint, $6 offset bigint, $7 user_id bigint, $8 bypass bool,
-- $9 parent_id bigint (NULL = any), $10 only_roots bool, $11 root_id bigint (NULL = any)
-- -> size bigint, items text (JSON array of UploadedFile objects)
SELECT size, items
FROM api_page(
    ARRAY(
        SELECT to_jsonb(v)
        FROM api_uploaded_file AS v
        WHERE
            ($8 OR storage_readable(v.storage, $7))
            AND ($9::bigint IS NULL OR v.parent = $9)
            AND (NOT $10 OR v.parent IS NULL)
            AND (
                $11::bigint IS NULL OR v.id IN (
                    WITH RECURSIVE tree AS (
                        SELECT f.id FROM uploaded_file AS f WHERE f.id = $11
                        UNION ALL
                        SELECT f.id FROM uploaded_file AS f JOIN tree AS t ON f.parent_id = t.id
                    )
                    SELECT tree.id FROM tree
                )
            )
    ),
    $1::jsonpath, $2::jsonb, $3, $4, $5, $6
)
