-- When the current session started: with pg_backend_pid() it names a session for good.
CREATE OR REPLACE FUNCTION session_started() RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT a.backend_start FROM pg_stat_activity AS a WHERE a.pid = pg_backend_pid()
$$;
