-- Slice instances of one image instance (the caller's rights are checked before).
-- $1 filter jsonpath, $2 filter vars jsonb, $3 sort key text, $4 descending bool,
-- $5 limit bigint, $6 offset bigint, $7 image_instance_id bigint
-- -> size bigint, items text (JSON array of SliceInstance objects)
SELECT size, items
FROM api_page(
    ARRAY(SELECT to_jsonb(v) FROM api_slice_instance AS v WHERE v.image = $7),
    $1::jsonpath, $2::jsonb, $3, $4, $5, $6
)
