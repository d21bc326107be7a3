-- annotation_count_change (repeatable layer) moves the annotation counters both ways: inserts
-- count in through it, and the statements that delete annotations count out through it in
-- place of annotation_count_subtract, which goes (a new database never had it).
DROP FUNCTION IF EXISTS annotation_count_subtract(bigint [], bigint [], text []);
