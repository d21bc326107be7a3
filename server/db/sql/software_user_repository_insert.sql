-- Declare a trusted source.
-- $1 provider text, $2 username text, $3 docker_username text, $4 prefix text
-- -> id bigint
INSERT INTO software_user_repository (provider, username, docker_username, prefix)
VALUES ($1, $2, $3, $4)
RETURNING id
