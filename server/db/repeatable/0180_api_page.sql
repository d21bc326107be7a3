-- One page of a list endpoint (server/db/listing.py): how many documents match the SQL/JSON
-- path filter, and the requested slice of them as the text of a JSON array (NULL when the
-- slice is empty). Order: the jsonb value under sort_key (numbers numerically, strings
-- lexically), NULLs last either way, then id descending so every page is stable.
-- max_rows NULL = all. hidden_keys are only there to filter and sort on: they are removed
-- from each object of the answer.
CREATE OR REPLACE FUNCTION api_page(
    docs jsonb [],
    filter_path jsonpath,
    filter_vars jsonb,
    sort_key text,
    descending boolean,
    max_rows bigint,
    skip bigint,
    hidden_keys text [] DEFAULT '{}'
)
RETURNS TABLE (size bigint, items text)
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    WITH matched AS (
        SELECT d.doc
        FROM unnest(docs) AS d (doc)
        WHERE jsonb_path_exists(d.doc, filter_path, filter_vars)
    )
    SELECT
        (SELECT count(*) FROM matched),
        (
            SELECT json_agg(p.doc - hidden_keys ORDER BY p.n)::text
            FROM (
                SELECT
                    m.doc,
                    row_number() OVER (
                        ORDER BY
                            CASE WHEN descending THEN m.doc -> sort_key END DESC NULLS LAST,
                            CASE WHEN NOT descending THEN m.doc -> sort_key END ASC NULLS LAST,
                            (m.doc ->> 'id')::bigint DESC
                    ) AS n
                FROM matched AS m
                ORDER BY n
                LIMIT max_rows OFFSET skip
            ) AS p
        )
$$;
