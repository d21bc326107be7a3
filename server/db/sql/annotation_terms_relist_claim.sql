-- Claim the background relist's progress row for one batch (server/db/terms_relist.py): the
-- lock is the batch transaction's, so no session state is left on a pooled connection.
-- SKIP LOCKED: a worker that finds another one in a batch gets no row and leaves the pass to it.
-- -> after_id bigint (no row: another session holds the claim)
SELECT p.after_id
FROM annotation_terms_relist_progress AS p
FOR UPDATE SKIP LOCKED
