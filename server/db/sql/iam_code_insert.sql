-- Store a one-time authorization code.
-- $1 code_hash, $2 session_id, $3 client_id, $4 redirect_uri, $5 code_challenge,
-- $6 code_challenge_method, $7 nonce, $8 scope (text), $9 lifetime_seconds int
INSERT INTO iam_code (
    code_hash, session_id, client_id, redirect_uri, code_challenge,
    code_challenge_method, nonce, scope, expires
)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now() + make_interval(secs => $9))
