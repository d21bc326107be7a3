-- One batch of the background relist (server/db/terms_relist.py): the next annotations by id
-- after $1 (up to $2, at most $3 of them); those whose kept term group is NULL get it, the
-- others are only read (annotation_terms_relist_batch in the repeatable layer: the rows are
-- claimed one image at a time, with SKIP LOCKED).
-- $1 after_id bigint
-- $2 until bigint: the pass's last id (annotation_id_last at its start)
-- $3 batch integer
-- -> one row: after_id bigint (where the next batch starts: the last id looked at, or just
--    before the first NULL row a writer held), examined bigint (rows looked at; 0: the pass
--    is done), relisted bigint (rows given their group)
SELECT b.after_id, b.examined, b.relisted
FROM annotation_terms_relist_batch($1::bigint, $2::bigint, $3::integer) AS b
