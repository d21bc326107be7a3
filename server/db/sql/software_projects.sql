-- Projects where one software is enabled, among those a caller reads (the shape of server/db/listing.py).
-- $1 filter jsonpath, $2 filter vars jsonb, $3 sort key text, $4 descending bool,
-- $5 limit bigint, $6 offset bigint, $7 software_id bigint, $8 user_id bigint, $9 is_admin bool
-- -> size bigint, items text (JSON array of Project objects)
SELECT size, items
FROM api_page(
    ARRAY(SELECT to_jsonb(v) FROM api_project AS v
        WHERE v.id IN (SELECT sp.project_id FROM software_project AS sp WHERE sp.software_id = $7)
            AND ($9 OR EXISTS (
                SELECT 1 FROM project_member AS m WHERE m.project_id = v.id AND m.user_id = $8
            ))),
    $1::jsonpath, $2::jsonb, $3, $4, $5, $6
)
