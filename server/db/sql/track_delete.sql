-- Delete a track and (by cascade) its annotation links.
-- $1 track_id bigint
-- -> nothing
DELETE FROM track WHERE id = $1
