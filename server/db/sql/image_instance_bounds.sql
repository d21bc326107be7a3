-- Min/max (and choice lists) of image fields over one project, for the Web UI filters
-- (Cytomine's ImageInstanceBounds). The caller's read right is checked before.
-- $1 project_id bigint, $2 viewer_id bigint, $3 viewer_is_admin bool (annotation counts are
-- the ones the viewer sees: visible_annotation_count)
-- -> json text {created, updated, reviewStart, reviewStop, magnification, physicalSizeX,
--    physicalSizeY, physicalSizeZ, fps, format, mimeType, countImageAnnotations,
--    countImageJobAnnotations, countImageReviewedAnnotations, width, height,
--    instanceFilename}, each {min, max, list}
WITH img AS (
    SELECT
        i.created,
        i.updated,
        i.review_start,
        i.review_stop,
        visible_annotation_count(
            i.project_id, i.id, i.count_annotations, $2, $3
        ) AS count_annotations,
        i.count_job_annotations,
        i.count_reviewed_annotations,
        a.width,
        a.height,
        f.content_type,
        coalesce(i.instance_filename, a.original_filename) AS instance_filename,
        coalesce(i.magnification, a.magnification) AS magnification,
        coalesce(i.physical_size_x, a.physical_size_x) AS physical_size_x,
        coalesce(i.physical_size_y, a.physical_size_y) AS physical_size_y,
        coalesce(i.physical_size_z, a.physical_size_z) AS physical_size_z,
        coalesce(i.fps, a.fps) AS fps
    FROM image_instance AS i
    JOIN abstract_image AS a ON a.id = i.base_image_id
    JOIN uploaded_file AS f ON f.id = a.uploaded_file_id
    WHERE i.project_id = $1
)

SELECT json_build_object(
    'created', json_build_object(
        'min', epoch_ms(min(created)), 'max', epoch_ms(max(created)), 'list', '[]'::json
    ),
    'updated', json_build_object(
        'min', epoch_ms(min(updated)), 'max', epoch_ms(max(updated)), 'list', '[]'::json
    ),
    'reviewStart', json_build_object(
        'min', epoch_ms(min(review_start)), 'max', epoch_ms(max(review_start)),
        'list', '[]'::json
    ),
    'reviewStop', json_build_object(
        'min', epoch_ms(min(review_stop)), 'max', epoch_ms(max(review_stop)),
        'list', '[]'::json
    ),
    'magnification', json_build_object(
        'min', min(magnification), 'max', max(magnification),
        'list', coalesce(
            json_agg(DISTINCT magnification) FILTER (WHERE magnification IS NOT NULL),
            '[]'::json
        )
    ),
    'physicalSizeX', json_build_object(
        'min', min(physical_size_x), 'max', max(physical_size_x),
        'list', coalesce(
            json_agg(DISTINCT physical_size_x) FILTER (WHERE physical_size_x IS NOT NULL),
            '[]'::json
        )
    ),
    'physicalSizeY', json_build_object(
        'min', min(physical_size_y), 'max', max(physical_size_y), 'list', '[]'::json
    ),
    'physicalSizeZ', json_build_object(
        'min', min(physical_size_z), 'max', max(physical_size_z), 'list', '[]'::json
    ),
    'fps', json_build_object('min', min(fps), 'max', max(fps), 'list', '[]'::json),
    'format', json_build_object(
        'min', null, 'max', null,
        'list', coalesce(
            json_agg(DISTINCT content_type) FILTER (WHERE content_type IS NOT NULL),
            '[]'::json
        )
    ),
    'mimeType', json_build_object(
        'min', null, 'max', null,
        'list', coalesce(
            json_agg(DISTINCT content_type) FILTER (WHERE content_type IS NOT NULL),
            '[]'::json
        )
    ),
    'countImageAnnotations', json_build_object(
        'min', min(count_annotations), 'max', max(count_annotations), 'list', '[]'::json
    ),
    'countImageJobAnnotations', json_build_object(
        'min', min(count_job_annotations), 'max', max(count_job_annotations),
        'list', '[]'::json
    ),
    'countImageReviewedAnnotations', json_build_object(
        'min', min(count_reviewed_annotations), 'max', max(count_reviewed_annotations),
        'list', '[]'::json
    ),
    'width', json_build_object('min', min(width), 'max', max(width), 'list', '[]'::json),
    'height', json_build_object('min', min(height), 'max', max(height), 'list', '[]'::json),
    'instanceFilename', json_build_object(
        'min', min(instance_filename), 'max', max(instance_filename), 'list', '[]'::json
    )
)::text
FROM img
