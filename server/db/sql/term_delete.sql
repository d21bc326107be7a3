-- Delete a term; its relation links go with it (ON DELETE CASCADE). The store then runs
-- removed_cascade with objects and terms (its annotation term links go).
-- $1 term_id bigint
-- -> id bigint, objects bigint[], terms bigint[]
--    (no row: a concurrent request deleted it first)
DELETE FROM term
WHERE id = $1
RETURNING id, ARRAY[id] AS objects, ARRAY[id] AS terms
