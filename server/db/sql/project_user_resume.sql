-- One user's activity in a project: first and last connection, user annotations,
-- connections, image openings and annotation selections.
-- $1 project_id bigint, $2 user_id bigint
-- -> first_connection text, last_connection text (epoch ms, NULL: never), total_annotations,
--    total_connections, total_consultations, total_annotation_selections bigint
SELECT
    epoch_ms(min(pc.created)) AS first_connection,
    epoch_ms(max(pc.created)) AS last_connection,
    (
        SELECT count(*) FROM annotation AS a
        WHERE a.project_id = $1 AND a.user_id = $2 AND a.kind = 'user'
    ) AS total_annotations,
    count(pc.id) AS total_connections,
    (
        SELECT count(*) FROM image_consultation AS c
        WHERE c.project_id = $1 AND c.user_id = $2
    ) AS total_consultations,
    (
        SELECT count(*) FROM annotation_action AS x
        WHERE x.project_id = $1 AND x.user_id = $2 AND x.action = 'select'
    ) AS total_annotation_selections
FROM project_connection AS pc
WHERE pc.project_id = $1 AND pc.user_id = $2
