-- Forget an attached file (its bytes are removed by the caller).
-- $1 id bigint
-- -> id bigint (no row: a concurrent request deleted it first)
DELETE FROM attached_file WHERE id = $1
RETURNING id
