-- Every command is written in history and goes on its user's undo stack.
CREATE OR REPLACE FUNCTION command_recorded() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO command_history (command_id, user_id, project_id)
    VALUES (NEW.id, NEW.user_id, NEW.project_id);
    IF NEW.user_id IS NOT NULL THEN
        INSERT INTO command_stack (command_id, user_id, stack) VALUES (NEW.id, NEW.user_id, 'UNDO');
    END IF;
    RETURN NULL;
END
$$;
