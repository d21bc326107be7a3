-- Annotation groups of one project or one image group (access checked by the caller)
-- (the shape of server/db/listing.py).
-- $1 filter jsonpath, $2 filter vars jsonb, $3 sort key text, $4 descending bool,
-- $5 limit bigint, $6 offset bigint, $7 project_id bigint (NULL: any),
-- $8 image_group_id bigint (NULL: any)
-- -> size bigint, items text (JSON array of AnnotationGroup objects)
SELECT size, items
FROM api_page(
    ARRAY(
        SELECT to_jsonb(v)
        FROM api_annotation_group AS v
        WHERE
            ($7::bigint IS NULL OR v.project = $7)
            AND ($8::bigint IS NULL OR v."imageGroup" = $8)
    ),
    $1::jsonpath, $2::jsonb, $3, $4, $5, $6
)
