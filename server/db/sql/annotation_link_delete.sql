-- Delete one annotation link.
-- $1 annotation_link_id bigint
-- -> nothing
DELETE FROM annotation_link
WHERE id = $1
