-- Per annotation owner on an image: how many user annotations and how many are reviewed.
-- $1 image_instance_id bigint, $2 viewer_id bigint, $3 viewer_is_admin bool
-- -> items text (JSON array of {user, all, reviewed}; NULL: none)
-- Only annotations of layers the viewer sees count (layer_visible: hidden users' or admins'
-- layers).
SELECT
    json_agg(json_build_object('user', s.user_id, 'all', s.total, 'reviewed', s.reviewed)
        ORDER BY s.user_id)::text AS items
FROM (
    SELECT
        a.user_id,
        count(*) AS total,
        count(*) FILTER (
            WHERE EXISTS (SELECT 1 FROM annotation AS r WHERE r.parent_id = a.id)
        ) AS reviewed
    FROM annotation AS a
    WHERE
        a.image_id = $1 AND a.kind = 'user'
        AND layer_visible(a.project_id, a.user_id, $2, $3)
    GROUP BY a.user_id
) AS s
