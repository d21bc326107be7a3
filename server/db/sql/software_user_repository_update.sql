-- Change a trusted source (the body carries the full object).
-- $1 repository_id bigint, $2 provider text, $3 username text, $4 docker_username text,
-- $5 prefix text
-- -> nothing
UPDATE software_user_repository
SET provider = $2, username = $3, docker_username = $4, prefix = $5, updated = now()
WHERE id = $1
