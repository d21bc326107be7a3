-- Add the description of an object (NULL: it already has one).
-- $1 domain_class_name text, $2 domain_ident bigint, $3 data text -> id bigint
INSERT INTO description (domain_class_name, domain_ident, data)
VALUES ($1, $2, $3)
ON CONFLICT (domain_ident, domain_class_name) DO NOTHING
RETURNING id
