-- Hidden layers: projects that hide users' or admins' layers show a non-manager only the
-- layers allowed (admins bypass).

(
    $bypass
    OR a.project_id IN (SELECT acl.project_id FROM acl WHERE acl.sees_all)
    OR EXISTS (
        SELECT 1 FROM acl
        WHERE
            acl.project_id = a.project_id
            AND NOT acl.sees_all
            AND (
                a.user_id = $user_id
                OR CASE
                    WHEN EXISTS (
                        SELECT 1 FROM project_member AS am
                        WHERE
                            am.project_id = a.project_id
                            AND am.user_id = a.user_id AND am.is_manager
                    ) THEN NOT acl.hide_admins
                    ELSE NOT acl.hide_users
                END
            )
    )
)
