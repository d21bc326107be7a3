-- Delete a track and (by cascade) its annotation links. The store then runs removed_cascade
-- with objects.
-- $1 track_id bigint
-- -> id bigint, objects bigint[] (no row: a concurrent request deleted it first)
DELETE FROM track WHERE id = $1
RETURNING id, ARRAY[id] AS objects
