-- Whether linking term1 -> term2 would close a loop: term1 is term2 or one of its descendants.
-- $1 relation_id bigint, $2 term1_id bigint, $3 term2_id bigint
-- -> bool
WITH RECURSIVE below (id) AS (
    SELECT $3::bigint
    UNION
    SELECT rt.term2_id
    FROM relation_term AS rt
    JOIN below AS b ON rt.term1_id = b.id
    WHERE rt.relation_id = $1
)

SELECT EXISTS (SELECT 1 FROM below WHERE id = $2)
