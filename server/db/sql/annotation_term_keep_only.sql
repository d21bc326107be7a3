-- Remove the term links of an annotation that are not in the given list.
-- $1 annotation_id bigint, $2 term_ids bigint[] -> nothing
DELETE FROM annotation_term WHERE annotation_id = $1 AND NOT (term_id = ANY($2))
