-- Compact list of a user's projects, by the role the user holds.
-- $1 user_id bigint, $2 role text ('creator' | 'admin' | 'user')
-- -> json text (array of {id, name}, newest first)
SELECT coalesce(json_agg(json_build_object('id', p.id, 'name', p.name)
    ORDER BY p.created DESC, p.id DESC), '[]')::text
FROM project AS p
WHERE
    CASE $2
        WHEN 'creator' THEN p.creator_id = $1
        WHEN 'admin' THEN EXISTS (
            SELECT 1 FROM project_member AS m
            WHERE m.project_id = p.id AND m.user_id = $1 AND m.is_manager
        )
        ELSE EXISTS (
            SELECT 1 FROM project_member AS m WHERE m.project_id = p.id AND m.user_id = $1
        )
    END
