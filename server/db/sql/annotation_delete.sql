-- Delete one annotation of any kind (its term links cascade; a reviewed copy of it stays,
-- as Cytomine keeps it).
-- $1 annotation_id bigint -> id bigint (no row: a concurrent request deleted it first)
DELETE FROM annotation WHERE id = $1
RETURNING id
