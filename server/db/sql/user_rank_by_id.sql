-- The highest role rank of an account (0 when it has none).
-- $1 user_id bigint
-- -> rank integer (NULL when the account does not exist)
SELECT rank FROM user_rank WHERE user_id = $1
