-- Abstract images of the storages the caller reads (all with bypass); with a project,
-- inProject says whether the image is already in it.
-- $1 filter jsonpath, $2 filter vars jsonb, $3 sort key text, $4 descending bool,
-- $5 limit bigint, $6 offset bigint, $7 user_id bigint, $8 bypass bool,
-- $9 project_id bigint (NULL = none), $10 unused_only bool, $11 uploaded_file_id bigint
-- -> size bigint, items text (JSON array of AbstractImage objects)
SELECT size, items
FROM api_page(
    ARRAY(
        SELECT
            to_jsonb(v) || jsonb_build_object(
                'inProject',
                CASE WHEN $9::bigint IS NOT NULL THEN EXISTS (
                    SELECT 1 FROM image_instance AS i
                    WHERE i.base_image_id = v.id AND i.project_id = $9
                ) END
            )
        FROM api_abstract_image AS v
        JOIN uploaded_file AS f ON f.id = v."uploadedFile"
        WHERE
            ($8 OR storage_readable(f.storage_id, $7))
            AND (
                NOT $10
                OR NOT EXISTS (SELECT 1 FROM image_instance AS i WHERE i.base_image_id = v.id)
            )
            AND ($11::bigint IS NULL OR v."uploadedFile" = $11)
    ),
    $1::jsonpath, $2::jsonb, $3, $4, $5, $6
)
