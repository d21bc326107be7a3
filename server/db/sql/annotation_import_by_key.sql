-- The job of one user and idempotency key.
-- $1 user_id bigint, $2 idempotency_key text -> id bigint, status text
SELECT id, status FROM annotation_import WHERE user_id = $1 AND idempotency_key = $2
