-- Delete a software parameter.
-- $1 parameter_id bigint
-- -> nothing
DELETE FROM software_parameter
WHERE id = $1
