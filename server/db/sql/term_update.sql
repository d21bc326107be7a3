-- Change a term's name, comment and color.
-- $1 term_id bigint, $2 name text, $3 comment text, $4 color text
-- -> (no rows)
UPDATE term
SET name = $2, comment = $3, color = $4, updated = now()
WHERE id = $1
