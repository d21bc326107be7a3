-- Store a new token-signing key; a concurrent first start keeps the first one.
-- $1 kid text, $2 private_pem text
INSERT INTO signing_key (kid, private_pem)
VALUES ($1, $2)
ON CONFLICT (kid) DO NOTHING
