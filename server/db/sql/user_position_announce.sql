-- Announce a live position message to every server worker (delivered at commit).
-- $1 payload text (JSON: kind, image, user and, for a position, the position object)
-- -> nothing
SELECT pg_notify('lamina_user_position', $1)
