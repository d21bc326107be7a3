-- Number of accounts (0 on a fresh database).
-- (no parameters) -> count
SELECT count(*) FROM sec_user
