-- One tag and how many objects carry it (no row: no such tag).
-- $1 tag_id bigint
-- -> obj text (Tag object), associations bigint
SELECT
    row_to_json(v)::text AS obj,
    (SELECT count(*) FROM tag_domain_association AS a WHERE a.tag_id = v.id) AS associations
FROM api_tag AS v
WHERE v.id = $1
