-- Compact rows of the images in every project a user belongs to (Cytomine's user_image):
-- blinded projects hide the filename unless the viewer manages the project or is an admin.
-- $1 filter jsonpath, $2 filter vars jsonb, $3 sort key text, $4 descending bool,
-- $5 limit bigint, $6 offset bigint, $7 user_id bigint, $8 viewer_is_admin bool
-- -> size bigint, items text (JSON array of {id, projectName, project, blindedName?,
--    instanceFilename?})
SELECT size, items
FROM api_page(
    ARRAY(
        SELECT jsonb_strip_nulls(jsonb_build_object(
            'id', i.id,
            'projectName', p.name,
            'project', p.id,
            'blindedName', CASE WHEN p.blind_mode THEN i.base_image_id END,
            'instanceFilename', CASE WHEN NOT p.blind_mode OR $8 OR m.is_manager
                THEN coalesce(i.instance_filename, a.original_filename) END
        ))
        FROM project_member AS m
        JOIN project AS p ON p.id = m.project_id
        JOIN image_instance AS i ON i.project_id = p.id
        JOIN abstract_image AS a ON a.id = i.base_image_id
        WHERE m.user_id = $7
    ),
    $1::jsonpath, $2::jsonb, $3, $4, $5, $6
)
