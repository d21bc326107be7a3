-- How far the background relist of the listing's term group (server/db/terms_relist.py) has
-- got: every annotation with an id up to after_id has been looked at, and those whose
-- terms_listed was NULL (rows written before migration 0045, by a version that did not keep
-- it) were given their group. Each server start walks on from here by id to the highest id of
-- that moment, in short batches, and moves after_id in each batch's transaction: a database
-- upgraded with a million NULL rows reaches the fast listing path without anyone asking, a
-- restart resumes where the last pass stopped, and once done a start only looks at the rows
-- written since (each row is looked at once in the life of the database).
-- Set after_id back to 0 to have the next start look at every row again (a row set NULL by
-- hand below after_id is otherwise left to the listing, which computes its group: slower,
-- never wrong).
-- No partial index `WHERE terms_listed IS NULL` to find the rows: an index whose predicate
-- names a column makes every UPDATE that changes that column a non-HOT update (PostgreSQL
-- counts predicate columns as indexed), so the relist after each term change would write a
-- new entry into every index of annotation, GiST included, forever, for an index that is
-- empty once the one pass is done. The walk by primary key reads each batch's rows instead.
-- One row (only_row is its key and can only be true), locked by the batch that moves it: a
-- server worker that finds it locked leaves the pass to the one holding it.
CREATE TABLE annotation_terms_relist_progress (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    after_id bigint NOT NULL DEFAULT 0
);
INSERT INTO annotation_terms_relist_progress DEFAULT VALUES;
