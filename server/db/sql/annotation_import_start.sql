-- Open an import job; with an idempotency key already used by this user, nothing happens.
-- $1 user_id bigint, $2 image_id bigint, $3 project_id bigint, $4 idempotency_key text
-- (nullable), $5 format text, $6 atomic bool -> id bigint (no row: the key is taken)
INSERT INTO annotation_import (user_id, image_id, project_id, idempotency_key, format, atomic)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (user_id, idempotency_key) DO NOTHING
RETURNING id
