-- Move the background relist's progress, in the transaction of the batch that got there (its
-- claim holds the row).
-- $1 after_id bigint -> nothing
UPDATE annotation_terms_relist_progress SET after_id = $1
