-- Terms of every ontology readable by the caller (the shape of server/db/listing.py).
-- $1 filter jsonpath, $2 filter vars jsonb, $3 sort key text, $4 descending bool,
-- $5 limit bigint, $6 offset bigint, $7 user_id bigint, $8 is_admin bool
-- -> size bigint, items text (JSON array of Term objects)
SELECT size, items
FROM api_page(
    ARRAY(SELECT to_jsonb(v) FROM api_term AS v WHERE ontology_readable(v.ontology, $7, $8)),
    $1::jsonpath, $2::jsonb, $3, $4, $5, $6
)
