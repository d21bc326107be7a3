-- Projects a caller may see (the shape of server/db/listing.py), with optional extras.
-- $1 filter jsonpath, $2 filter vars jsonb, $3 sort key text, $4 descending bool,
-- $5 limit bigint, $6 offset bigint,
-- $7 member_id bigint (NULL: any; else only projects this user belongs to),
-- $8 viewer_id bigint, $9 viewer_sees_all bool (admin session open),
-- $10 with_members_count bool, $11 with_last_activity bool, $12 with_description bool,
-- $13 with_current_user_roles bool, $14 ontology_id bigint (NULL: any)
-- -> size bigint, items text (JSON array of Project objects plus the requested extras)
-- "currentUserRole" (manager/contributor) is only there to filter and sort on; it is
-- removed from the answer.
SELECT size, items
FROM api_page(
    ARRAY(
        SELECT
            to_jsonb(v)
            || jsonb_build_object(
                'currentUserRole',
                CASE WHEN coalesce(me.is_manager, false) THEN 'manager' ELSE 'contributor' END
            )
            || CASE WHEN $10 THEN jsonb_build_object(
                'membersCount',
                (
                    SELECT count(*) FROM project_member AS pm
                    WHERE
                        pm.project_id = v.id
                        AND NOT EXISTS (SELECT 1 FROM user_job AS uj WHERE uj.id = pm.user_id)
                )
            ) ELSE '{}'::jsonb END
            || CASE WHEN $11 THEN jsonb_build_object(
                'lastActivity',
                (SELECT epoch_ms(max(c.created)) FROM command AS c WHERE c.project_id = v.id)
            ) ELSE '{}'::jsonb END
            || CASE WHEN $12 THEN jsonb_build_object('description', '') ELSE '{}'::jsonb END
            || CASE WHEN $13 THEN jsonb_build_object(
                'currentUserRoles',
                jsonb_build_object(
                    'admin', coalesce(me.is_manager, false),
                    'representative', EXISTS (
                        SELECT 1 FROM project_representative_user AS r
                        WHERE r.project_id = v.id AND r.user_id = $8
                    )
                )
            ) ELSE '{}'::jsonb END
        FROM api_project AS v
        LEFT JOIN project_member AS me ON me.project_id = v.id AND me.user_id = $8
        WHERE
            ($9 OR me.user_id IS NOT NULL)
            AND (
                $7::bigint IS NULL OR EXISTS (
                    SELECT 1 FROM project_member AS mm
                    WHERE mm.project_id = v.id AND mm.user_id = $7
                )
            )
            AND ($14::bigint IS NULL OR v.ontology = $14)
    ),
    $1::jsonpath, $2::jsonb, $3, $4, $5, $6, ARRAY['currentUserRole']
)
