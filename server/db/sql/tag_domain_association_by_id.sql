-- One tag association (no row: none).
-- $1 association_id bigint
-- -> obj text (TagDomainAssociation object)
SELECT row_to_json(v)::text AS obj
FROM api_tag_domain_association AS v
WHERE v.id = $1
