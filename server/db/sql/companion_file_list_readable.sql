-- Companion files of every abstract image the caller may read (all with bypass).
-- $1 filter jsonpath, $2 filter vars jsonb, $3 sort key text, $4 descending bool,
-- $5 limit bigint, $6 offset bigint, $7 user_id bigint, $8 bypass bool
-- -> size bigint, items text (JSON array of CompanionFile objects)
SELECT size, items
FROM api_page(
    ARRAY(
        SELECT to_jsonb(v)
        FROM api_companion_file AS v
        JOIN abstract_image AS a ON a.id = v.image
        JOIN uploaded_file AS f ON f.id = a.uploaded_file_id
        WHERE
            $8
            OR storage_readable(f.storage_id, $7)
            OR EXISTS (
                SELECT 1 FROM image_instance AS i
                WHERE i.base_image_id = v.image AND project_readable(i.project_id, $7)
            )
    ),
    $1::jsonpath, $2::jsonb, $3, $4, $5, $6
)
