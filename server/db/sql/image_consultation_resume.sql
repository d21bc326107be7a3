-- Per image summary of one user's consultations in one project (access checked by the
-- caller) (the shape of server/db/listing.py).
-- $1 filter jsonpath, $2 filter vars jsonb, $3 sort key text, $4 descending bool,
-- $5 limit bigint, $6 offset bigint, $7 project_id bigint, $8 user_id bigint
-- -> size bigint, items text (JSON array of {project, user, image, time,
--    countCreatedAnnotations, first, last, frequency, imageName, imageThumb})
SELECT size, items
FROM api_page(
    ARRAY(
        SELECT jsonb_build_object(
            'id', max(v.id),
            'project', $7::bigint,
            'user', $8::bigint,
            'image', v.image,
            'time', coalesce(sum(v.time), 0),
            'countCreatedAnnotations', coalesce(sum(v."countCreatedAnnotations"), 0),
            'first', min(v.created),
            'last', max(v.created),
            'frequency', count(*),
            'imageName', max(v."imageName"),
            'imageThumb', max(v."imageThumb")
        )
        FROM api_image_consultation AS v
        WHERE v.project = $7 AND v.user = $8
        GROUP BY v.image
    ),
    $1::jsonpath, $2::jsonb, $3, $4, $5, $6, ARRAY['id']
)
