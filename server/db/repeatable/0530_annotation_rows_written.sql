-- What a statement that inserted (delta 1) or deleted (delta -1) annotations owes the rest of
-- the schema, one row per array position: the counters of their projects and images
-- (annotation_count_change), the overview (annotation_overview_rows), and for reviewed copies
-- the flag of the annotation each one reviews (annotation.reviewed, migration 0052: an
-- annotation has at most one reviewed copy, so the copy's insert sets it and its delete clears
-- it). Called once by that statement, in a CTE over the rows its write returned.
-- The flag's update runs after the statement's write (it reads the write's rows), so a parent
-- that write deleted is no longer visible to it; it runs before the counters, so that annotation
-- rows are locked before project and image rows, as a delete of annotations does.
-- PL/pgSQL, so that the session keeps the plans of its statements (those of a LANGUAGE sql
-- function were made again on every call).
CREATE OR REPLACE FUNCTION annotation_rows_written(
    ids bigint [], project_ids bigint [], image_ids bigint [], user_ids bigint [],
    kinds text [], parent_ids bigint [], xs double precision [], ys double precision [],
    delta integer
) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE annotation AS a
    SET reviewed = delta > 0
    FROM unnest(parent_ids, image_ids, kinds) AS c (parent_id, image_id, kind)
    WHERE
        c.kind = 'reviewed'
        AND a.id = c.parent_id
        AND a.image_id = c.image_id
        AND a.reviewed <> (delta > 0);
    PERFORM annotation_count_change(project_ids, image_ids, kinds, delta);
    PERFORM annotation_overview_rows(
        ids, image_ids, user_ids, kinds, xs, ys,
        array_fill(delta, ARRAY[coalesce(cardinality(ids), 0)])
    );
END
$$;
