-- require_parents for references to annotations, which name their image with the id
-- (image_ids and ids at equal positions; NULL ids name nothing): the annotations of each image
-- are looked up and locked by one query that names that image. On a Citus cluster the
-- annotation table is distributed by image_id, and a row lock is only taken by a query that
-- names one shard (docs/scale-out.md), so a statement writing links on one image checks them
-- on that image's node.
CREATE OR REPLACE FUNCTION require_annotations(image_ids bigint [], ids bigint [], child text)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    img bigint;
    wanted bigint [];
    found bigint;
    missing bigint;
BEGIN
    FOR img, wanted IN
        SELECT k.image_id, array_agg(DISTINCT k.id)
        FROM unnest(image_ids, ids) AS k (image_id, id)
        WHERE k.id IS NOT NULL
        GROUP BY k.image_id
    LOOP
        SELECT count(*) INTO found FROM (
            SELECT 1 FROM annotation AS a
            WHERE a.image_id = img AND a.id = ANY (wanted)
            FOR KEY SHARE
        ) AS p;
        IF found < cardinality(wanted) THEN
            SELECT min(i) INTO missing FROM unnest(wanted) AS i
            WHERE NOT EXISTS (SELECT FROM annotation AS a WHERE a.image_id = img AND a.id = i);
            RAISE EXCEPTION 'insert or update on % violates its reference to annotation', child
            USING ERRCODE = 'foreign_key_violation',
            CONSTRAINT = format('%s_annotation_ref', child),
            DETAIL = format('Key (id)=(%s) is not present in table "annotation".', missing);
        END IF;
    END LOOP;
END
$$;
