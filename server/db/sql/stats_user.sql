-- User annotations (or annotated images) per member of a project and per other author,
-- 0 for members without any, by user id.
-- $1 project_id bigint, $2 start timestamptz (NULL: open), $3 end timestamptz (NULL: open),
-- $4 distinct_images bool (count images instead of annotations)
-- -> json text (array of {id, key, username, value})
WITH authors AS (
    -- People only: a job's user job is a member of its project too.
    SELECT m.user_id FROM project_member AS m
    WHERE m.project_id = $1 AND NOT EXISTS (SELECT 1 FROM user_job AS uj WHERE uj.id = m.user_id)
    UNION
    SELECT a.user_id FROM annotation AS a WHERE a.project_id = $1 AND a.kind = 'user'
)
SELECT coalesce(json_agg(json_build_object(
    'id', u.id, 'key', u.username, 'username', u.username,
    'value', (
        SELECT CASE WHEN $4 THEN count(DISTINCT a.image_id) ELSE count(*) END
        FROM annotation AS a
        WHERE
            a.project_id = $1 AND a.kind = 'user' AND a.user_id = u.id
            AND ($2::timestamptz IS NULL OR a.created > $2)
            AND ($3::timestamptz IS NULL OR a.created < $3)
    )
) ORDER BY u.id), '[]')::text
FROM authors AS w
JOIN sec_user AS u ON u.id = w.user_id
