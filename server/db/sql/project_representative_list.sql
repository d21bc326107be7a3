-- Representatives of a project (the shape of server/db/listing.py).
-- $1 filter jsonpath, $2 filter vars jsonb, $3 sort key text, $4 descending bool,
-- $5 limit bigint, $6 offset bigint, $7 project_id bigint
-- -> size bigint, items text (JSON array of ProjectRepresentativeUser objects)
WITH matched AS (
    SELECT to_jsonb(v) AS doc
    FROM api_project_representative_user AS v
    WHERE v.project = $7 AND jsonb_path_exists(to_jsonb(v), $1::jsonpath, $2::jsonb)
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
