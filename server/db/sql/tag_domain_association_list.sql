-- Tag associations of the objects the caller may read (the shape of server/db/listing.py).
-- $1 filter jsonpath, $2 filter vars jsonb, $3 sort key text, $4 descending bool,
-- $5 limit bigint, $6 offset bigint, $7 user_id bigint, $8 is_admin bool,
-- $9 domain_ident bigint (NULL: every object)
-- -> size bigint, items text (JSON array of TagDomainAssociation objects)
SELECT size, items
FROM api_page(
    ARRAY(
        SELECT to_jsonb(v)
        FROM api_tag_domain_association AS v
        WHERE
            ($9::bigint IS NULL OR v."domainIdent" = $9)
            AND domain_readable(v."domainClassName", v."domainIdent", $7, $8)
    ),
    $1::jsonpath, $2::jsonb, $3, $4, $5, $6
)
