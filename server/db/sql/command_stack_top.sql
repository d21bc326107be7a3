-- The command on top of a user's undo or redo stack, or the given command when it is on it.
-- $1 user_id bigint, $2 stack text (UNDO|REDO), $3 command_id bigint (NULL: the top one)
-- -> command_id bigint
SELECT s.command_id
FROM command_stack AS s
WHERE s.user_id = $1 AND s.stack = $2 AND ($3::bigint IS NULL OR s.command_id = $3)
ORDER BY s.created DESC, s.command_id DESC
LIMIT 1
