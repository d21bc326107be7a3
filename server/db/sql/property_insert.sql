-- Add a property to an object (unique key per object: UniqueViolation on a duplicate).
-- $1 domain_class_name text, $2 domain_ident bigint, $3 key text, $4 value text
-- -> id bigint
INSERT INTO property (domain_class_name, domain_ident, key, value)
VALUES ($1, $2, $3, $4)
RETURNING id
