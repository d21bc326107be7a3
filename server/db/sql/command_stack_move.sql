-- Move a command from one of its user's stacks to the top of the other and write the undo or
-- redo in history. The row lock makes a concurrent second move of the same command find it
-- gone from the stack it expected (no row).
-- $1 command_id bigint, $2 stack text (the destination: UNDO|REDO), $3 prefix text (UNDO|REDO)
-- -> command_id bigint (no row: the command was not on the other stack)
WITH moved AS (
    UPDATE command_stack SET stack = $2, created = clock_timestamp()
    WHERE command_id = $1 AND stack <> $2
    RETURNING command_id, user_id
)

INSERT INTO command_history (command_id, user_id, project_id, prefix_action)
SELECT m.command_id, m.user_id, c.project_id, $3
FROM moved AS m
INNER JOIN command AS c ON c.id = m.command_id
RETURNING command_id
