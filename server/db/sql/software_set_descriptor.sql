-- Keep the descriptor a software was (re)registered from.
-- $1 software_id bigint, $2 descriptor jsonb
-- -> nothing
UPDATE software SET descriptor = $2::jsonb
WHERE id = $1
