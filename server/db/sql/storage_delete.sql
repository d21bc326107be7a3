-- Delete a storage (its member rows go with it).
-- $1 storage_id bigint
-- -> id
DELETE FROM storage
WHERE id = $1
RETURNING id
