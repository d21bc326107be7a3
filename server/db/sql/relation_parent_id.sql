-- Id of the 'parent' relation (seeded by the first migration).
-- (no parameters)
-- -> id bigint
SELECT r.id
FROM relation AS r
WHERE r.name = 'parent'
