-- Make a user hold exactly the roles up to a rank: lower ones added, higher ones removed.
-- $1 user_id bigint, $2 rank integer
-- -> removed bigint, added bigint
WITH removed AS (
    DELETE FROM sec_user_sec_role AS ur
    USING sec_role AS r
    WHERE ur.role_id = r.id AND ur.user_id = $1 AND r.rank > $2
    RETURNING ur.id
),

added AS (
    INSERT INTO sec_user_sec_role (user_id, role_id)
    SELECT $1, r.id
    FROM sec_role AS r
    WHERE r.rank <= $2
    ON CONFLICT (user_id, role_id) DO NOTHING
    RETURNING id
)

SELECT
    (SELECT count(*) FROM removed) AS removed,
    (SELECT count(*) FROM added) AS added
