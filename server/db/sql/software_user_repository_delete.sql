-- Forget a trusted source; its software stays, without a source.
-- $1 repository_id bigint
-- -> id bigint (no row: a concurrent request deleted it first)
DELETE FROM software_user_repository
WHERE id = $1
RETURNING id
