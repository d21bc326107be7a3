-- Cytomine's status codes, for the statements and the checks below.
CREATE OR REPLACE FUNCTION job_status_name(status integer) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT (ARRAY[
        'NOT_LAUNCH', 'INQUEUE', 'RUNNING', 'SUCCESS', 'FAILED', 'INDETERMINATE', 'WAIT',
        'PREVIEWED', 'KILLED'
    ])[status + 1]
$$;
