-- Put a tag on an object (once: UniqueViolation on a duplicate).
-- $1 tag_id bigint, $2 domain_class_name text, $3 domain_ident bigint
-- -> id bigint
INSERT INTO tag_domain_association (tag_id, domain_class_name, domain_ident)
VALUES ($1, $2, $3)
RETURNING id
