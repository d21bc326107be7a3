-- Delete a track and (by cascade) its annotation links.
-- $1 track_id bigint
-- -> id bigint (no row: a concurrent request deleted it first)
DELETE FROM track WHERE id = $1
RETURNING id
