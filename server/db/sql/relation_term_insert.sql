-- Link two terms (term1 is the parent side).
-- $1 relation_id bigint, $2 term1_id bigint, $3 term2_id bigint
-- -> id bigint
INSERT INTO relation_term (relation_id, term1_id, term2_id)
VALUES ($1, $2, $3)
RETURNING id
