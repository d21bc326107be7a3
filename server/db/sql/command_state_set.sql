-- Store what reversing a command puts back (NULL: the object did not exist).
-- $1 command_id bigint, $2 state text (JSON, nullable) -> nothing
UPDATE command SET state = $2::jsonb WHERE id = $1
