-- Record an attached file; its bytes are moved into place after (path is set then).
-- $1 domain_class_name text, $2 domain_ident bigint, $3 filename text, $4 key text,
-- $5 size bigint, $6 content_type text, $7 user_id bigint
-- -> id bigint
INSERT INTO attached_file (
    domain_class_name, domain_ident, filename, key, path, size, content_type, user_id
)
VALUES ($1, $2, $3, $4, '', $5, $6, $7)
RETURNING id
