-- Software enabled in one project (the shape of server/db/listing.py).
-- $1 filter jsonpath, $2 filter vars jsonb, $3 sort key text, $4 descending bool,
-- $5 limit bigint, $6 offset bigint, $7 project_id bigint
-- -> size bigint, items text (JSON array of Software objects)
SELECT size, items
FROM api_page(
    ARRAY(SELECT to_jsonb(v) FROM api_software AS v
        WHERE v.id IN (SELECT sp.software_id FROM software_project AS sp WHERE sp.project_id = $7)),
    $1::jsonpath, $2::jsonb, $3, $4, $5, $6
)
