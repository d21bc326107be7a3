-- Delete one annotation of any kind (its term links cascade; a reviewed copy of it stays,
-- as Cytomine keeps it).
-- $1 annotation_id bigint -> nothing
DELETE FROM annotation WHERE id = $1
