-- The property of one object with one key (no row: none).
-- $1 domain_ident bigint, $2 key text
-- -> obj text (Property object)
SELECT row_to_json(v)::text AS obj
FROM api_property AS v
WHERE v."domainIdent" = $1 AND v.key = $2
