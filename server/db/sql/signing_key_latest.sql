-- The newest token-signing key.
-- (no parameters) -> kid, private_pem
SELECT kid, private_pem
FROM signing_key
ORDER BY created DESC, kid
LIMIT 1
