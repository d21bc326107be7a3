-- Settings the caller may read: ALL for everyone, USER for users, ADMIN for admins (session
-- open).
-- $1 filter jsonpath, $2 filter vars jsonb, $3 sort key text, $4 descending bool,
-- $5 limit bigint, $6 offset bigint, $7 reader_level integer (1 guest, 2 user, 3 admin)
-- -> size bigint, items text (JSON array of Configuration objects)
SELECT size, items
FROM api_page(
    ARRAY(
        SELECT to_jsonb(v)
        FROM api_configuration AS v
        WHERE
            CASE v."readingRole" WHEN 'ALL' THEN 1 WHEN 'USER' THEN 2 ELSE 3 END <= $7
    ),
    $1::jsonpath, $2::jsonb, $3, $4, $5, $6
)
