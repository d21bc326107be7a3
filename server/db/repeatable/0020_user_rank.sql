-- The highest role of each user, used by the authentication path.
CREATE VIEW user_rank AS
SELECT u.id AS user_id, coalesce(max(r.rank), 0) AS rank
FROM sec_user AS u
LEFT JOIN sec_user_sec_role AS ur ON ur.user_id = u.id
LEFT JOIN sec_role AS r ON r.id = ur.role_id
GROUP BY u.id;
