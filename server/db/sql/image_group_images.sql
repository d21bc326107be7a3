-- Image instances of one image group (access checked by the caller)
-- (the shape of server/db/listing.py).
-- $1 filter jsonpath, $2 filter vars jsonb, $3 sort key text, $4 descending bool,
-- $5 limit bigint, $6 offset bigint, $7 image_group_id bigint, $8 viewer_id bigint,
-- $9 viewer_is_admin bool
-- -> size bigint, items text (JSON array of ImageInstance objects; their annotation counts
--    are the ones the viewer sees: visible_annotation_count)
SELECT size, items
FROM api_page(
    ARRAY(
        SELECT
            to_jsonb(v)
            || jsonb_build_object(
                'numberOfAnnotations',
                visible_annotation_count(v.project, v.id, v."numberOfAnnotations", $8, $9)
            )
        FROM image_group_image_instance AS gi
        INNER JOIN api_image_instance AS v ON gi.image_id = v.id
        WHERE gi.group_id = $7
    ),
    $1::jsonpath, $2::jsonb, $3, $4, $5, $6
)
