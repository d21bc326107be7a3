-- Members active in a project in the last 5 minutes, by id, each with the slices they
-- looked at in the last 30 seconds (latest first).
-- $1 project_id bigint
-- -> json text (array of {id, position: [{id, image, slice, filename, originalFilename,
-- date}]})
SELECT coalesce(json_agg(json_build_object(
    'id', u.user_id,
    'position', (
        SELECT coalesce(json_agg(json_build_object(
            'id', p.image_id,
            'image', p.image_id,
            'slice', p.slice_id,
            'filename', coalesce(i.instance_filename, a.original_filename),
            'originalFilename', a.original_filename,
            'date', epoch_ms(p.created)
        ) ORDER BY p.created DESC), '[]')
        FROM last_user_position AS p
        JOIN image_instance AS i ON i.id = p.image_id
        JOIN abstract_image AS a ON a.id = i.base_image_id
        WHERE
            p.project_id = $1 AND p.user_id = u.user_id
            AND p.created > now() - interval '30 seconds'
    )
) ORDER BY u.user_id), '[]')::text
FROM (
    SELECT DISTINCT x.user_id
    FROM project_presence AS x
    JOIN project_member AS m ON m.project_id = x.project_id AND m.user_id = x.user_id
    WHERE x.project_id = $1 AND x.created >= now() - interval '5 minutes'
) AS u
