-- Links in which a term takes part, on either side or at one position
-- (the shape of server/db/listing.py).
-- $1 filter jsonpath, $2 filter vars jsonb, $3 sort key text, $4 descending bool,
-- $5 limit bigint, $6 offset bigint,
-- $7 term_id bigint, $8 position integer (NULL = either, 1 = parent side, 2 = child side)
-- -> size bigint, items text (JSON array of RelationTerm objects)
SELECT size, items
FROM api_page(
    ARRAY(
        SELECT to_jsonb(v)
        FROM api_relation_term AS v
        WHERE
            ($8::integer IS NULL AND (v.term1 = $7 OR v.term2 = $7))
            OR ($8 = 1 AND v.term1 = $7)
            OR ($8 = 2 AND v.term2 = $7)
    ),
    $1::jsonpath, $2::jsonb, $3, $4, $5, $6
)
