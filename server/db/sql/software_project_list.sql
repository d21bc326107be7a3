-- Software-project links of the projects a caller reads (all for admins) (the shape of server/db/listing.py).
-- $1 filter jsonpath, $2 filter vars jsonb, $3 sort key text, $4 descending bool,
-- $5 limit bigint, $6 offset bigint, $7 user_id bigint, $8 is_admin bool
-- -> size bigint, items text (JSON array of SoftwareProject objects)
SELECT size, items
FROM api_page(
    ARRAY(SELECT to_jsonb(v) FROM api_software_project AS v
        WHERE $8 OR EXISTS (
            SELECT 1 FROM project_member AS m WHERE m.project_id = v.project AND m.user_id = $7
        )),
    $1::jsonpath, $2::jsonb, $3, $4, $5, $6
)
