-- Human users of a project by kind (user jobs are listed by userjob.json) (the shape of server/db/listing.py), each with its role.
-- $1 filter jsonpath, $2 filter vars jsonb, $3 sort key text, $4 descending bool,
-- $5 limit bigint, $6 offset bigint,
-- $7 project_id bigint, $8 kind text ('member' | 'admin' | 'representative' | 'creator'
--    | 'layer' | 'online': members active in the project in the last 5 minutes),
-- $9 viewer_id bigint, $10 all_layers bool, $11 hide_admins_layers bool,
-- $12 hide_users_layers bool (the last three only matter for 'layer')
-- -> size bigint, items text (JSON array of User objects with "role")
-- role is representative, manager or contributor; "projectRole" repeats it for filters and
-- is removed from the answer.
SELECT size, items
FROM api_page(
    ARRAY(
        SELECT
            to_jsonb(v) || jsonb_build_object(
                'role', x.role, 'projectRole', x.role
            )
        FROM api_user AS v
        JOIN project AS p ON p.id = $7
        LEFT JOIN project_member AS m ON m.project_id = p.id AND m.user_id = v.id
        CROSS JOIN LATERAL (
            SELECT CASE
                WHEN EXISTS (
                    SELECT 1 FROM project_representative_user AS r
                    WHERE r.project_id = p.id AND r.user_id = v.id
                ) THEN 'representative'
                WHEN m.is_manager THEN 'manager'
                WHEN m.user_id IS NOT NULL THEN 'contributor'
            END AS role
        ) AS x
        WHERE NOT v.algo AND CASE $8
            WHEN 'creator' THEN v.id = p.creator_id
            WHEN 'admin' THEN coalesce(m.is_manager, false)
            WHEN 'representative' THEN x.role = 'representative'
            WHEN 'layer' THEN m.user_id IS NOT NULL AND (
                $10 OR v.id = $9
                OR ($11 AND NOT $12 AND NOT m.is_manager)
                OR (NOT $11 AND m.is_manager)
            )
            WHEN 'online' THEN m.user_id IS NOT NULL AND EXISTS (
                SELECT 1 FROM project_presence AS a
                WHERE
                    a.project_id = p.id AND a.user_id = v.id
                    AND a.created >= now() - interval '5 minutes'
            )
            ELSE m.user_id IS NOT NULL
        END
    ),
    $1::jsonpath, $2::jsonb, $3, $4, $5, $6, ARRAY['projectRole']
)
