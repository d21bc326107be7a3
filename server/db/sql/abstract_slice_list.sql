-- Abstract slices of one abstract image or of one uploaded file (rights checked before).
-- $1 filter jsonpath, $2 filter vars jsonb, $3 sort key text, $4 descending bool,
-- $5 limit bigint, $6 offset bigint, $7 abstract_image_id bigint (NULL = any),
-- $8 uploaded_file_id bigint (NULL = any)
-- -> size bigint, items text (JSON array of AbstractSlice objects)
SELECT size, items
FROM api_page(
    ARRAY(
        SELECT to_jsonb(v)
        FROM api_abstract_slice AS v
        WHERE
            ($7::bigint IS NULL OR v.image = $7)
            AND ($8::bigint IS NULL OR v."uploadedFile" = $8)
    ),
    $1::jsonpath, $2::jsonb, $3, $4, $5, $6
)
