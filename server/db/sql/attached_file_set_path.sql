-- Where the bytes of an attached file live, relative to the storage root.
-- $1 id bigint, $2 path text
-- -> nothing
UPDATE attached_file SET path = $2 WHERE id = $1
