-- Users who are members of a project using the ontology (the shape of server/db/listing.py).
-- $1 filter jsonpath, $2 filter vars jsonb, $3 sort key text, $4 descending bool,
-- $5 limit bigint, $6 offset bigint, $7 ontology_id bigint
-- -> size bigint, items text (JSON array of User objects)
SELECT size, items
FROM api_page(
    ARRAY(
        SELECT to_jsonb(v)
        FROM api_user AS v
        WHERE v.id IN (
            SELECT m.user_id
            FROM project_member AS m
            JOIN project AS p ON p.id = m.project_id
            WHERE p.ontology_id = $7
        )
    ),
    $1::jsonpath, $2::jsonb, $3, $4, $5, $6
)
