-- One property of one object (no row: no such property on that object).
-- $1 property_id bigint, $2 domain_ident bigint
-- -> obj text (Property object)
SELECT row_to_json(v)::text AS obj
FROM api_property AS v
WHERE v.id = $1 AND v."domainIdent" = $2
