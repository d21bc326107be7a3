-- Check the references of what one bulk COPY statement of annotations and the COPY of their
-- term links wrote, right after them in the same transaction (a COPY runs no check of its
-- own, and no foreign key is declared: migration 0020): the distinct ids the writer gathered
-- while encoding the rows. Term links are checked for their terms only: their annotations
-- are those the transaction has just copied, and their users those checked here.
-- $1 image_ids bigint[], $2 slice_ids bigint[], $3 project_ids bigint[], $4 user_ids bigint[],
-- $5 term_ids bigint[] -> nothing
SELECT
    annotation_parents($1::bigint [], $2::bigint [], $3::bigint [], $4::bigint []),
    annotation_term_parents(NULL, NULL, $5::bigint [], NULL)
