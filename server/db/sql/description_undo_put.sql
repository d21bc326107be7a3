-- Put a description back under its own id, or set its text when it is there.
-- $1 id bigint, $2 domain_class_name text, $3 domain_ident bigint, $4 data text -> nothing
INSERT INTO description (id, domain_class_name, domain_ident, data)
VALUES ($1, $2, $3, $4)
ON CONFLICT (id) DO UPDATE SET data = excluded.data, updated = now()
