-- Tell every server worker that keys, roles or lock state changed (delivered at commit), so
-- each forgets the accounts and access decisions it caches.
-- -> nothing
SELECT pg_notify('lamina_auth', '')
