-- Numbers runs per (software, project); the advisory lock serialises concurrent creations of
-- the same pair so that two runs never take the same number.
CREATE OR REPLACE FUNCTION job_numbered() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(
        hashtextextended('job_number:' || NEW.software_id || ':' || NEW.project_id, 0)
    );
    SELECT coalesce(max(j.number), 0) + 1 INTO NEW.number
    FROM job AS j
    WHERE j.software_id = NEW.software_id AND j.project_id = NEW.project_id;
    RETURN NEW;
END
$$;
