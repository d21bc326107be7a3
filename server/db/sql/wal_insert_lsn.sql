-- The primary's WAL insert position, as bytes from 0/0: every record inserted so far (a
-- commit made with synchronous_commit=off included) lies before it.
-- no parameters -> lsn bigint
SELECT (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::bigint AS lsn
