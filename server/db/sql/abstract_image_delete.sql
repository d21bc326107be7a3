-- Delete an abstract image and its slices (refused by the database while a project uses it).
-- $1 abstract_image_id bigint
-- -> id bigint (no row: a concurrent request deleted it first)
DELETE FROM abstract_image WHERE id = $1
RETURNING id
