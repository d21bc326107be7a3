-- Delete a storage (its member rows go with it). The store then runs removed_cascade with
-- objects.
-- $1 storage_id bigint
-- -> id, objects bigint[]
DELETE FROM storage
WHERE id = $1
RETURNING id, ARRAY[id] AS objects
