-- Delete the description of an object.
-- $1 domain_class_name text, $2 domain_ident bigint -> id bigint (NULL: none)
DELETE FROM description WHERE domain_ident = $2 AND domain_class_name = $1
RETURNING id
