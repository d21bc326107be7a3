-- Image instances of one image group (access checked by the caller)
-- (the shape of server/db/listing.py).
-- $1 filter jsonpath, $2 filter vars jsonb, $3 sort key text, $4 descending bool,
-- $5 limit bigint, $6 offset bigint, $7 image_group_id bigint
-- -> size bigint, items text (JSON array of ImageInstance objects)
SELECT size, items
FROM api_page(
    ARRAY(
        SELECT to_jsonb(v)
        FROM image_group_image_instance AS gi
        INNER JOIN api_image_instance AS v ON gi.image_id = v.id
        WHERE gi.group_id = $7
    ),
    $1::jsonpath, $2::jsonb, $3, $4, $5, $6
)
