-- Projects the caller opened last; without connection records, the newest visible projects.
-- $1 viewer_id bigint, $2 viewer_sees_all bool, $3 limit bigint
-- -> json text (array of {id, date, opened})
SELECT coalesce(json_agg(x.item ORDER BY x.created DESC, x.id DESC), '[]')::text
FROM (
    SELECT
        p.id,
        p.created,
        json_build_object('id', p.id, 'date', epoch_ms(p.created), 'opened', false) AS item
    FROM project AS p
    WHERE $2 OR EXISTS (
        SELECT 1 FROM project_member AS m WHERE m.project_id = p.id AND m.user_id = $1
    )
    ORDER BY p.created DESC, p.id DESC
    LIMIT $3
) AS x
