-- Delete a software parameter.
-- $1 parameter_id bigint
-- -> id bigint (no row: a concurrent request deleted it first)
DELETE FROM software_parameter
WHERE id = $1
RETURNING id
