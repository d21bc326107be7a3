-- One setting by key, and whether the caller may read it.
-- $1 key text, $2 reader_level integer (1 guest, 2 user, 3 admin)
-- -> obj text (Configuration object), readable bool; no row when missing
SELECT
    row_to_json(v)::text AS obj,
    CASE v."readingRole" WHEN 'ALL' THEN 1 WHEN 'USER' THEN 2 ELSE 3 END <= $2 AS readable
FROM api_configuration AS v
WHERE v.key = $1
