-- A user's commands as Cytomine's CommandV2Response, one page, by creation time.
-- $1 user_id bigint, $2 descending bool, $3 limit bigint, $4 offset bigint
-- -> size bigint, items text (JSON array)
SELECT
    (SELECT count(*) FROM command AS n WHERE n.user_id = $1) AS size,
    coalesce(json_agg(x.item ORDER BY x.n), '[]')::text AS items
FROM (
    SELECT
        row_number() OVER (
            ORDER BY
                CASE WHEN $2 THEN c.created END DESC,
                CASE WHEN NOT $2 THEN c.created END ASC,
                CASE WHEN $2 THEN c.id END DESC,
                CASE WHEN NOT $2 THEN c.id END ASC
        ) AS n,
        json_build_object(
            'id', c.id,
            'created', to_char(c.created AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS'),
            'commandRequest', json_build_object(
                'commandType',
                CASE c.type WHEN 'ADD' THEN 'INSERT' WHEN 'EDIT' THEN 'UPDATE' ELSE 'DELETE' END
                || '_'
                || upper(regexp_replace(command_simple_class(c.class_name), '([a-z])([A-Z])', '\1_\2', 'g'))
                || '_COMMAND',
                'userId', c.user_id,
                'id', c.object_id,
                'before', CASE WHEN c.type = 'DELETE' THEN c.data END,
                'after', CASE WHEN c.type <> 'DELETE' THEN c.data END
            )
        ) AS item
    FROM command AS c
    WHERE c.user_id = $1
    ORDER BY n
    LIMIT $3 OFFSET $4
) AS x
