-- Forget a trusted source; its software stays, without a source.
-- $1 repository_id bigint
-- -> nothing
DELETE FROM software_user_repository
WHERE id = $1
