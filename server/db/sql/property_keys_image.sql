-- Distinct property keys of the image instances of a project.
-- $1 project_id bigint
-- -> key text
SELECT DISTINCT p.key
FROM property AS p
INNER JOIN image_instance AS i ON p.domain_ident = i.id
WHERE i.project_id = $1
ORDER BY p.key
