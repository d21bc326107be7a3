-- The images one user opened in one project, once each with the latest opening (access
-- checked by the caller) (the shape of server/db/listing.py).
-- $1 filter jsonpath, $2 filter vars jsonb, $3 sort key text, $4 descending bool,
-- $5 limit bigint, $6 offset bigint, $7 project_id bigint, $8 user_id bigint
-- -> size bigint, items text (JSON array of {created, image, user, time, imageThumb, project,
--    imageName, countCreatedAnnotations})
SELECT size, items
FROM api_page(
    ARRAY(
        SELECT jsonb_build_object(
            'id', v.id,
            'created', v.created,
            'image', v.image,
            'user', v.user,
            'time', v.time,
            'imageThumb', v."imageThumb",
            'project', v.project,
            'imageName', v."imageName",
            'countCreatedAnnotations', v."countCreatedAnnotations"
        )
        FROM (
            SELECT DISTINCT ON (c.image) c.*
            FROM api_image_consultation AS c
            WHERE c.project = $7 AND c.user = $8
            ORDER BY c.image, c.created DESC, c.id DESC
        ) AS v
    ),
    $1::jsonpath, $2::jsonb, $3, $4, $5, $6, ARRAY['id']
)
