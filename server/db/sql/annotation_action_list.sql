-- Annotation actions on an image or a slice (access checked by the caller)
-- (the shape of server/db/listing.py).
-- $1 filter jsonpath, $2 filter vars jsonb, $3 sort key text, $4 descending bool,
-- $5 limit bigint, $6 offset bigint, $7 image_id bigint (NULL: any), $8 slice_id bigint
-- (NULL: any), $9 user_id bigint (NULL: any), $10 after timestamptz, $11 before timestamptz
-- -> size bigint, items text (JSON array of AnnotationAction objects)
SELECT size, items
FROM api_page(
    ARRAY(
        SELECT to_jsonb(v)
        FROM api_annotation_action AS v
        JOIN annotation_action AS a ON a.id = v.id
        WHERE
            ($7::bigint IS NULL OR a.image_id = $7)
            AND ($8::bigint IS NULL OR a.slice_id = $8)
            AND ($9::bigint IS NULL OR a.user_id = $9)
            AND ($10::timestamptz IS NULL OR a.created >= $10)
            AND ($11::timestamptz IS NULL OR a.created <= $11)
    ),
    $1::jsonpath, $2::jsonb, $3, $4, $5, $6
)
