-- Ids of the users with one of these e-mail addresses (case-insensitive).
-- $1 emails text[]
-- -> id bigint
SELECT u.id
FROM sec_user AS u
WHERE lower(u.email) = ANY(SELECT lower(e) FROM unnest($1::text []) AS e)
ORDER BY u.id
