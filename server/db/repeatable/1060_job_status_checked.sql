-- The state machine is enforced here, so that every writer (routes, the runner, a worker
-- process) obeys it. A refused move is a check violation naming job_status_transition.
CREATE OR REPLACE FUNCTION job_status_checked() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT job_status_allowed(OLD.status, NEW.status) THEN
        RAISE EXCEPTION 'job % cannot go from % to %',
            OLD.id, job_status_name(OLD.status), job_status_name(NEW.status)
        USING ERRCODE = 'check_violation', CONSTRAINT = 'job_status_transition';
    END IF;
    RETURN NEW;
END
$$;
