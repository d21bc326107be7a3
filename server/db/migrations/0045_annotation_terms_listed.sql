-- The listing's term group kept on the annotation row: the text the viewer listing splices in
-- for the `term` group (`,"term":[...],"userByTerm":[...]` and an algo row's `,"rate":...`),
-- as annotation_terms_listed (repeatable layer) computes it from the term links. Building
-- it per row from annotation_term was the largest per-row cost of the listing.
-- NULL means "not kept": the listing then computes it (COALESCE), so a row that does not have
-- it (rows written before this migration) is only slower, never wrong. Every statement that changes an annotation's term links relists the
-- annotations it touched in the same transaction (annotation_terms_relist).
-- Text, not json/jsonb: the listing concatenates text, and jsonb would neither keep the
-- bytes (it respaces) nor save any work.
ALTER TABLE annotation ADD COLUMN terms_listed text;
