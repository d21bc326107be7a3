-- The life cycle: NOT_LAUNCH -> INQUEUE -> RUNNING -> SUCCESS | FAILED | INDETERMINATE |
-- WAIT | PREVIEWED | KILLED. A run started outside the server (CytomineJob on a workstation)
-- goes from NOT_LAUNCH straight to RUNNING; WAIT and PREVIEWED resume; a run that was not
-- started can still fail or be killed. SUCCESS is final; FAILED, INDETERMINATE and KILLED
-- may only go back to the queue (a relaunch of the same job). Same status -> same status is
-- a progress or comment update.
CREATE OR REPLACE FUNCTION job_status_allowed(old_status integer, new_status integer) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT old_status = new_status OR CASE old_status
        WHEN 0 THEN new_status IN (1, 2, 4, 6, 7, 8)
        WHEN 1 THEN new_status IN (0, 2, 4, 6, 8)
        WHEN 2 THEN new_status IN (3, 4, 5, 6, 7, 8)
        WHEN 6 THEN new_status IN (1, 2, 4, 5, 8)
        WHEN 7 THEN new_status IN (1, 2, 4, 8)
        WHEN 4 THEN new_status = 1
        WHEN 5 THEN new_status = 1
        WHEN 8 THEN new_status = 1
        ELSE false
    END
$$;
