-- The statements that write annotations and term links check the parents of their rows
-- themselves, in the same statement (annotation_parents, annotation_term_parents: the
-- repeatable layer), and the bulk COPY right after each of its COPY statements, in the same
-- transaction; so these statement triggers and their functions go. The checks are those of
-- migration 0020 (one query per parent table and statement, rows locked FOR KEY SHARE, the
-- same foreign_key_violation and constraint names); a statement only checks the columns it
-- writes. A Citus cluster would run a trigger of a distributed table on each shard, on the
-- workers, outside the coordinator's statement (docs/scale-out.md).
DROP TRIGGER annotation_references_added ON annotation;
DROP TRIGGER annotation_references_changed ON annotation;
DROP TRIGGER annotation_term_references_added ON annotation_term;
DROP TRIGGER annotation_term_references_changed ON annotation_term;
DROP FUNCTION annotation_references();
DROP FUNCTION annotation_term_references();
