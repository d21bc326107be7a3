-- Algo annotations of the projects the caller reads, newest first, one page.
-- $1 user_id bigint, $2 bypass bool (admin), $3 limit bigint (NULL = all), $4 offset bigint
-- -> size bigint, items text (JSON array of AlgoAnnotation; NULL when empty)
WITH matched AS (
    SELECT a.id
    FROM annotation AS a
    WHERE a.kind = 'algo' AND ($2 OR project_readable(a.project_id, $1))
)
SELECT
    (SELECT count(*) FROM matched) AS size,
    (
        SELECT json_agg(row_to_json(v) ORDER BY v.id DESC)::text
        FROM (SELECT id FROM matched ORDER BY id DESC LIMIT $3 OFFSET $4) AS m
        JOIN api_algo_annotation AS v ON v.id = m.id
    ) AS items
