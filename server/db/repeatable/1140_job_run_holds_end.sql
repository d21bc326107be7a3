-- Fires before job_status_checked (triggers of an event fire in name order).
CREATE OR REPLACE FUNCTION job_run_holds_end() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status IN (3, 4, 5, 8) AND NEW.status <> OLD.status THEN
        UPDATE job_run AS r
        SET
            reported_status = NEW.status,
            reported_comment = NEW.status_comment,
            kill_requested = r.kill_requested OR NEW.status = 8
        WHERE r.job_id = NEW.id AND r.started IS NOT NULL;
        IF FOUND THEN
            NEW.status := OLD.status;
        END IF;
    END IF;
    RETURN NEW;
END
$$;
