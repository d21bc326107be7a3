-- Which of the given ids are accounts.
-- $1 user_ids bigint[] -> id
SELECT id FROM sec_user WHERE id = any($1::bigint [])
