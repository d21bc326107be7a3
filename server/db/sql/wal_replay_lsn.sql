-- How far a standby has replayed the primary's WAL, as bytes from 0/0 (NULL on a server that
-- is not in recovery: a primary, or a standby since promoted).
-- no parameters -> lsn bigint
SELECT (pg_last_wal_replay_lsn() - '0/0'::pg_lsn)::bigint AS lsn
