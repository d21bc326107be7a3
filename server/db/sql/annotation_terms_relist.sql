-- Keep the listing's term group (annotation.terms_listed) of annotations whose term links
-- changed; run in the transaction of the change, after it.
-- $1 annotation_ids bigint[] -> nothing
SELECT annotation_terms_relist($1::bigint [])
