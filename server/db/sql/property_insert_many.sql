-- Add properties to an object, keeping the value of keys it already has.
-- $1 domain_class_name text, $2 domain_ident bigint, $3 keys text[], $4 values text[]
-- -> nothing
INSERT INTO property (domain_class_name, domain_ident, key, value)
SELECT $1, $2, kv.key, kv.value
FROM unnest($3::text [], $4::text []) AS kv (key, value)
ON CONFLICT (domain_ident, key) DO NOTHING
