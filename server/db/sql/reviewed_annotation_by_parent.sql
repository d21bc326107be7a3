-- The reviewed copy of an annotation (no row: not reviewed).
-- $1 parent_id bigint -> id bigint
SELECT a.id FROM annotation AS a WHERE a.parent_id = $1
