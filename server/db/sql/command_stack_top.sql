-- The command on top of a user's undo or redo stack, or the given command when it is on it.
-- Without a command, only commands of the given domain classes count (those that can be
-- reversed), so an object kind that cannot be undone never blocks the stack.
-- $1 user_id bigint, $2 stack text (UNDO|REDO), $3 command_id bigint (NULL: the top one),
-- $4 class_names text[]
-- -> command_id bigint
SELECT s.command_id
FROM command_stack AS s
INNER JOIN command AS c ON c.id = s.command_id
WHERE s.user_id = $1 AND s.stack = $2
    AND (s.command_id = $3 OR ($3::bigint IS NULL AND c.class_name = ANY($4::text [])))
ORDER BY s.created DESC, s.command_id DESC
LIMIT 1
