-- Gather the planner's statistics of the annotation tables now (server/db/store/
-- table_statistics.py), as autovacuum would a minute or so later. -> nothing
ANALYZE annotation, annotation_term
