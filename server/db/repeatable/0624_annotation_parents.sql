-- The references of annotations a statement wrote, checked as foreign keys would check them
-- (require_parents): called once by every statement that inserts annotations or changes
-- one of these columns, in a CTE over the rows its write returned (the bulk COPY: right after
-- each COPY statement, with the distinct ids it wrote). Columns at equal positions; repeats
-- and NULLs are fine (user_ids may hold the reviewers too, NULL where there is none), and a
-- NULL array checks nothing: an UPDATE passes only the columns it sets. The order is the
-- order of the statement triggers these checks replace (migration 0047), so a row naming two
-- missing parents is refused for the same one.
-- PL/pgSQL, so that the session keeps the plans of its statements (those of a LANGUAGE sql
-- function were made again on every call).
CREATE OR REPLACE FUNCTION annotation_parents(
    image_ids bigint [], slice_ids bigint [], project_ids bigint [], user_ids bigint []
) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM require_parents('image_instance', image_ids, 'annotation');
    PERFORM require_parents('slice_instance', slice_ids, 'annotation');
    PERFORM require_parents('project', project_ids, 'annotation');
    PERFORM require_parents('sec_user', user_ids, 'annotation');
END
$$;
