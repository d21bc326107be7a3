-- Delete a software with its parameters and project links.
-- $1 software_id bigint
-- -> id bigint (no row: a concurrent request deleted it first)
DELETE FROM software
WHERE id = $1
RETURNING id
