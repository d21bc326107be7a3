-- Forget an attached file (its bytes are removed by the caller).
-- $1 id bigint
-- -> nothing
DELETE FROM attached_file WHERE id = $1
