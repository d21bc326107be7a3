-- Position history of an image (access checked by the caller)
-- (the shape of server/db/listing.py).
-- $1 filter jsonpath, $2 filter vars jsonb, $3 sort key text, $4 descending bool,
-- $5 limit bigint, $6 offset bigint, $7 image_id bigint, $8 user_id bigint (NULL: any),
-- $9 slice_id bigint (NULL: any), $10 after timestamptz (NULL: open), $11 before timestamptz
-- -> size bigint, items text (JSON array of PersistentUserPosition objects)
SELECT size, items
FROM api_page(
    ARRAY(
        SELECT v.doc
        FROM api_user_position AS v
        WHERE
            v.image_id = $7
            AND ($8::bigint IS NULL OR v.user_id = $8)
            AND ($9::bigint IS NULL OR v.slice_id = $9)
            AND ($10::timestamptz IS NULL OR v.created >= $10)
            AND ($11::timestamptz IS NULL OR v.created <= $11)
    ),
    $1::jsonpath, $2::jsonb, $3, $4, $5, $6
)
