-- Delete a software with its parameters and project links.
-- $1 software_id bigint
-- -> nothing
DELETE FROM software
WHERE id = $1
