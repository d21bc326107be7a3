-- Record where a software's uploaded source package lives (relative to the storage root).
-- $1 software_id bigint, $2 source_path text
-- -> nothing
UPDATE software SET source_path = $2, updated = now()
WHERE id = $1
