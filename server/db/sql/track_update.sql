-- Rename or recolour a track.
-- $1 track_id bigint, $2 name text, $3 color text
-- -> nothing
UPDATE track SET name = $2, color = $3, updated = now()
WHERE id = $1
