-- Bytes of every uploaded file.
-- (no parameters)
-- -> used bigint
SELECT coalesce(sum(f.size), 0)::bigint AS used
FROM uploaded_file AS f
