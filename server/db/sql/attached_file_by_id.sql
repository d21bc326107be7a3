-- One attached file with what its permission check and download need (no row: none).
-- $1 id bigint
-- -> obj text (AttachedFile object), domain_class_name text, domain_ident bigint,
--    path text, content_type text
SELECT
    row_to_json(v)::text AS obj,
    f.domain_class_name,
    f.domain_ident,
    f.path,
    f.content_type
FROM attached_file AS f
INNER JOIN api_attached_file AS v ON f.id = v.id
WHERE f.id = $1
