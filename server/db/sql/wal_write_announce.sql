-- After a caller's write has committed: the primary's WAL insert position (bytes from 0/0,
-- past that commit even with synchronous_commit=off), told to every server worker so that
-- each sends that caller's reads to the primary until a replica has replayed it.
-- $1 caller bigint -> lsn bigint
SELECT w.lsn
FROM (SELECT (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::bigint AS lsn) AS w
CROSS JOIN LATERAL pg_notify('lamina_writes', $1::bigint::text || ' ' || w.lsn::text) AS n
