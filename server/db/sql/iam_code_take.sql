-- Consume an authorization code: deleted whether or not it is still valid (single use).
-- $1 code_hash text
-- -> session_id, client_id, redirect_uri, code_challenge, code_challenge_method, nonce,
--    scope, valid (not expired)
DELETE FROM iam_code
WHERE code_hash = $1
RETURNING
    session_id, client_id, redirect_uri, code_challenge, code_challenge_method, nonce, scope,
    expires > now() AS valid
