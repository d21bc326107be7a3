-- Whether an uploaded file lies in the subtree rooted at another one (itself included):
-- a parent taken from that subtree would make a cycle.
-- $1 root_id bigint, $2 candidate_id bigint -> inside bool
WITH RECURSIVE tree AS (
    SELECT f.id FROM uploaded_file AS f WHERE f.id = $1
    UNION ALL
    SELECT f.id FROM uploaded_file AS f JOIN tree AS t ON f.parent_id = t.id
)

SELECT EXISTS (SELECT 1 FROM tree WHERE tree.id = $2)
