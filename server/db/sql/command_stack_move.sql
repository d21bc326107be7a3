-- Move a command to the top of its user's other stack and write the undo or redo in history.
-- $1 command_id bigint, $2 stack text (the destination: UNDO|REDO), $3 prefix text (UNDO|REDO)
-- -> nothing
WITH moved AS (
    UPDATE command_stack SET stack = $2, created = clock_timestamp()
    WHERE command_id = $1
    RETURNING command_id, user_id
)
INSERT INTO command_history (command_id, user_id, project_id, prefix_action)
SELECT m.command_id, m.user_id, c.project_id, $3
FROM moved AS m
INNER JOIN command AS c ON c.id = m.command_id
