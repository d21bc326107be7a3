-- The statements that write annotations and term links record their overview changes
-- themselves, in the same statement (annotation_overview_rows, annotation_overview_links:
-- the repeatable layer), as the bulk COPY already did for its inserts, so these statement
-- triggers and their functions go, and with them the setting that had the insert triggers
-- stand aside for the COPY (lamina.overview_logged). A Citus cluster would run a trigger of
-- a distributed table on each shard, on the workers, outside the coordinator's statement
-- (docs/scale-out.md).
DROP TRIGGER annotation_overview_added ON annotation;
DROP TRIGGER annotation_overview_removed ON annotation;
DROP TRIGGER annotation_overview_changed ON annotation;
DROP TRIGGER annotation_overview_term_added ON annotation_term;
DROP TRIGGER annotation_overview_term_removed ON annotation_term;
DROP FUNCTION annotation_overview_added();
DROP FUNCTION annotation_overview_removed();
DROP FUNCTION annotation_overview_changed();
DROP FUNCTION annotation_overview_term_added();
DROP FUNCTION annotation_overview_term_removed();
