-- Delete every property of one object.
-- $1 domain_ident bigint
-- -> nothing
DELETE FROM property WHERE domain_ident = $1
