-- End a session (logout); its codes go with it.
-- $1 session_id text (may be null), $2 cookie_hash text (may be null)
UPDATE iam_session
SET ended = now(), cookie_hash = NULL
WHERE ended IS NULL AND (id = $1 OR cookie_hash = $2)
