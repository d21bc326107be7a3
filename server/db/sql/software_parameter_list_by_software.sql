-- Parameters of one software, those the server fills only when asked (the shape of server/db/listing.py).
-- $1 filter jsonpath, $2 filter vars jsonb, $3 sort key text, $4 descending bool,
-- $5 limit bigint, $6 offset bigint, $7 software_id bigint, $8 with_set_by_server bool
-- -> size bigint, items text (JSON array of SoftwareParameter objects)
SELECT size, items
FROM api_page(
    ARRAY(SELECT to_jsonb(v) FROM api_software_parameter AS v
        WHERE v.software = $7 AND ($8 OR NOT v."setByServer")),
    $1::jsonpath, $2::jsonb, $3, $4, $5, $6
)
