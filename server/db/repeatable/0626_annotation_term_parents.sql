-- The references of term links a statement wrote, checked as foreign keys would check them:
-- their annotations (named with their image, require_annotations), their terms (expected
-- terms included: callers add them to term_ids) and their users. Called once by every
-- statement that inserts term links, in a CTE over the rows its write returned (the bulk
-- COPY: after each COPY statement, with the terms it wrote; its links' annotations are those
-- the same transaction has just copied, and their users those it has just checked).
-- Columns at equal positions; repeats and NULLs are fine, and a NULL array checks nothing.
-- PL/pgSQL, so that the session keeps the plans of its statements (those of a LANGUAGE sql
-- function were made again on every call).
CREATE OR REPLACE FUNCTION annotation_term_parents(
    image_ids bigint [], annotation_ids bigint [], term_ids bigint [], user_ids bigint []
) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM require_annotations(image_ids, annotation_ids, 'annotation_term');
    PERFORM require_parents('term', term_ids, 'annotation_term');
    PERFORM require_parents('sec_user', user_ids, 'annotation_term');
END
$$;
