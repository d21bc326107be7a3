-- Create an account with its API key pair.
-- $1 username text, $2 firstname text, $3 lastname text, $4 email text,
-- $5 password_hash text, $6 public_key text, $7 private_key text, $8 creator_id bigint,
-- $9 origin text, $10 language text
-- -> id
INSERT INTO sec_user (
    username, firstname, lastname, email, password_hash, public_key, private_key,
    creator_id, origin, language
)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, coalesce($10, 'ENGLISH'))
RETURNING id
