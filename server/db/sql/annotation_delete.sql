-- Delete one annotation (its term links cascade).
-- $1 annotation_id bigint -> nothing
DELETE FROM annotation WHERE id = $1
