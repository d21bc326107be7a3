-- Change the terms of the user annotations a filter matches among those the caller may
-- change, and relist those whose links changed (annotation_bulk_term in the repeatable layer:
-- one image at a time).
-- $1 project_id bigint, $2 image_ids bigint[] (NULL: all), $3 user_ids bigint[] (NULL: all),
-- $4 term_ids bigint[] (NULL: any), $5 bbox float8[4] minx,miny,maxx,maxy (NULL: anywhere),
-- $6 user_id bigint (caller), $7 is_admin bool, $8 is_guest bool,
-- $9 term_ids bigint[] (the new terms), $10 mode text
-- -> matched bigint, removed bigint (links), added bigint (links)
SELECT b.matched, b.removed, b.added
FROM annotation_bulk_term(
    $1::bigint, $2::bigint [], $3::bigint [], $4::bigint [], $5::float8 [], $6::bigint,
    $7::boolean, $8::boolean, $9::bigint [], $10::text
) AS b
