-- Create a track on an image, in the image's project (UniqueViolation: name taken there).
-- $1 name text, $2 color text, $3 image_id bigint
-- -> id bigint
INSERT INTO track (name, color, image_id, project_id)
SELECT $1, $2, i.id, i.project_id
FROM image_instance AS i
WHERE i.id = $3
RETURNING id
