-- Change the text of an object's description.
-- $1 domain_class_name text, $2 domain_ident bigint, $3 data text -> id bigint (NULL: none)
UPDATE description SET data = $3, updated = now()
WHERE domain_ident = $2 AND domain_class_name = $1
RETURNING id
