-- Per annotation owner on an image: how many user annotations and how many are reviewed.
-- $1 image_instance_id bigint -> items text (JSON array of {user, all, reviewed}; NULL: none)
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
    WHERE a.image_id = $1 AND a.kind = 'user'
    GROUP BY a.user_id
) AS s
