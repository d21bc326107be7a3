-- Number of annotations a user validated (reviewed copies they made).
-- $1 reviewer_id bigint -> total bigint
SELECT count(*) AS total
FROM annotation AS a
WHERE a.reviewer_id = $1 AND a.kind = 'reviewed'
