-- Open an SSO session.
-- $1 id text, $2 user_id bigint, $3 cookie_hash text (null: no browser cookie),
-- $4 lifetime_seconds int -> expires (epoch seconds, bigint)
INSERT INTO iam_session (id, user_id, cookie_hash, expires)
VALUES ($1, $2, $3, now() + make_interval(secs => $4))
RETURNING floor(extract(EPOCH FROM expires))::bigint AS expires
