-- Forget an account's failed logins after a successful one.
-- $1 key text -> nothing
DELETE FROM login_throttle WHERE key = $1
