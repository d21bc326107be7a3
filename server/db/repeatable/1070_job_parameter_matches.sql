-- A job's parameter values belong to its software's parameters.
CREATE OR REPLACE FUNCTION job_parameter_matches() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (
        SELECT 1
        FROM job AS j
        JOIN software_parameter AS sp ON sp.software_id = j.software_id
        WHERE j.id = NEW.job_id AND sp.id = NEW.software_parameter_id
    ) THEN
        RAISE EXCEPTION 'software parameter % is not a parameter of the software of job %',
            NEW.software_parameter_id, NEW.job_id
        USING ERRCODE = 'check_violation', CONSTRAINT = 'job_parameter_of_software';
    END IF;
    RETURN NEW;
END
$$;
