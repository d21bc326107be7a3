-- Delete commands, oldest first, optionally of one domain (service name without "Service",
-- any case) and after a time.
-- $1 domain text (NULL: all), $2 after timestamptz (NULL: all), $3 limit bigint (NULL: all),
-- $4 offset bigint
-- -> size bigint, items text (JSON array of Command)
WITH found AS (
    SELECT c.id
    FROM command AS c
    WHERE c.type = 'DELETE'
        AND ($1::text IS NULL OR lower(command_service(c.class_name)) = lower($1 || 'Service'))
        AND ($2::timestamptz IS NULL OR c.created > $2)
)
SELECT
    (SELECT count(*) FROM found) AS size,
    coalesce(
        (
            SELECT json_agg(row_to_json(v) ORDER BY v.id)
            FROM (
                SELECT f.id FROM found AS f ORDER BY f.id LIMIT $3 OFFSET $4
            ) AS p
            INNER JOIN api_command AS v ON v.id = p.id
        ),
        '[]'
    )::text AS items
