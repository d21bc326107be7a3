-- Which of the given ids are users.
-- $1 user_ids bigint[] -> known bigint[] (NULL when none)
SELECT array_agg(u.id) FROM sec_user AS u WHERE u.id = ANY($1)
