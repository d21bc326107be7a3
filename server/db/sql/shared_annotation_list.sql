-- Comments of one annotation the caller sent or received (all of them for admins), in the
-- shape of server/db/listing.py (newest first by default).
-- $1 filter jsonpath, $2 filter vars jsonb, $3 sort key text, $4 descending bool,
-- $5 limit bigint, $6 offset bigint, $7 annotation_id bigint, $8 user_id bigint,
-- $9 is_admin bool
-- -> size bigint, items text (JSON array of SharedAnnotation objects)
SELECT size, items
FROM api_page(
    ARRAY(
        SELECT to_jsonb(v)
        FROM api_shared_annotation AS v
        WHERE
            v."annotationIdent" = $7
            AND ($9 OR v.sender = $8 OR $8 = ANY(v.receivers))
    ),
    $1::jsonpath, $2::jsonb, $3, $4, $5, $6
)
