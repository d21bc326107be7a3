-- The highest annotation id now (0 when there is none): where a background relist pass ends,
-- so that it never chases the rows written while it runs (those are written with their group).
-- -> last_id bigint
SELECT coalesce(max(a.id), 0) AS last_id FROM annotation AS a
