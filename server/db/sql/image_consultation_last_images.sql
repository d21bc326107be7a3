-- The last image each member of a project opened in it (access checked by the caller)
-- (the shape of server/db/listing.py).
-- $1 filter jsonpath, $2 filter vars jsonb, $3 sort key text, $4 descending bool,
-- $5 limit bigint, $6 offset bigint, $7 project_id bigint
-- -> size bigint, items text (JSON array of {user, created, image, imageName})
SELECT size, items
FROM api_page(
    ARRAY(
        SELECT jsonb_build_object(
            'id', v.id,
            'user', v.user,
            'created', v.created,
            'image', v.image,
            'imageName', v."imageName"
        )
        FROM (
            SELECT DISTINCT ON (c.user) c.*
            FROM api_image_consultation AS c
            WHERE c.project = $7
            ORDER BY c.user, c.created DESC, c.id DESC
        ) AS v
    ),
    $1::jsonpath, $2::jsonb, $3, $4, $5, $6, ARRAY['id']
)
