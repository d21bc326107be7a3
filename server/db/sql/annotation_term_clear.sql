-- Remove the term links of an annotation: one user's, or everybody's.
-- $1 annotation_id bigint, $2 user_id bigint (NULL: every user) -> nothing
DELETE FROM annotation_term WHERE annotation_id = $1 AND ($2::bigint IS NULL OR user_id = $2)
