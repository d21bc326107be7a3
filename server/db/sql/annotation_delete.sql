-- Delete one annotation of any kind (a reviewed copy of it stays, as Cytomine keeps it). The
-- store then runs removed_cascade with annotations (its term links, group links, comments,
-- properties... go).
-- $1 annotation_id bigint
-- -> id bigint, annotations bigint[] (no row: a concurrent request deleted it first)
DELETE FROM annotation WHERE id = $1
RETURNING id, ARRAY[id] AS annotations
