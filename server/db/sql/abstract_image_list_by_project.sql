-- Abstract images used in one project (the caller's read right is checked before).
-- $1 filter jsonpath, $2 filter vars jsonb, $3 sort key text, $4 descending bool,
-- $5 limit bigint, $6 offset bigint, $7 project_id bigint
-- -> size bigint, items text (JSON array of AbstractImage objects)
SELECT size, items
FROM api_page(
    ARRAY(
        SELECT to_jsonb(v) || jsonb_build_object('inProject', true)
        FROM api_abstract_image AS v
        WHERE EXISTS (
            SELECT 1 FROM image_instance AS i
            WHERE i.base_image_id = v.id AND i.project_id = $7
        )
    ),
    $1::jsonpath, $2::jsonb, $3, $4, $5, $6
)
