-- Lift the statement timeout for the rest of a bulk load's transaction: one COPY carries a
-- whole upload, which may stream for longer than an ordinary statement may run.
-- no parameters -> nothing
SET LOCAL statement_timeout = 0
