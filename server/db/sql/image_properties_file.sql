-- The stored file of an abstract image and the vendor metadata read from it at ingest.
-- $1 abstract_image_id bigint
-- -> path text (relative to the storage root), properties text (JSON object key -> text)
SELECT f.path, ai.properties::text AS properties
FROM abstract_image AS ai
INNER JOIN uploaded_file AS f ON ai.uploaded_file_id = f.id
WHERE ai.id = $1
