-- Record the public base URL of this server (thumb/preview URLs are built from it).
-- $1 url text
UPDATE image_server SET url = $1 WHERE url IS DISTINCT FROM $1
