-- Image instances the caller reads: of one project, of one abstract image, or of every
-- project a user belongs to (rights of the caller on top, bypassed for admins).
-- $1 filter jsonpath, $2 filter vars jsonb, $3 sort key text, $4 descending bool,
-- $5 limit bigint, $6 offset bigint, $7 caller_id bigint, $8 bypass bool,
-- $9 project_id bigint (NULL = any), $10 base_image_id bigint (NULL = any),
-- $11 member_id bigint (NULL = any: only projects this user belongs to),
-- $12 with_tags bool (add "tag" to filter on)
-- -> size bigint, items text (JSON array of ImageInstance objects; their annotation counts
--    are the ones the caller sees: visible_annotation_count)
-- "tag" (the ids of the image's tags, [null] for an untagged image) exists only for
-- tag[in]=null,3 filters, as Cytomine's outer join on tag associations; it is removed from
-- the answer.
SELECT size, items
FROM api_page(
    ARRAY(
        SELECT
            to_jsonb(v)
            || jsonb_build_object(
                'numberOfAnnotations',
                visible_annotation_count(v.project, v.id, v."numberOfAnnotations", $7, $8)
            )
            || CASE WHEN $12 THEN jsonb_build_object(
                'tag',
                coalesce(
                    (
                        SELECT jsonb_agg(tda.tag_id)
                        FROM tag_domain_association AS tda
                        WHERE
                            tda.domain_ident = v.id
                            AND tda.domain_class_name = 'be.cytomine.domain.image.ImageInstance'
                    ),
                    '[null]'::jsonb
                )
            ) ELSE '{}'::jsonb END
        FROM api_image_instance AS v
        WHERE
            ($8 OR project_readable(v.project, $7))
            AND ($9::bigint IS NULL OR v.project = $9)
            AND ($10::bigint IS NULL OR v."baseImage" = $10)
            AND ($11::bigint IS NULL OR project_readable(v.project, $11))
    ),
    $1::jsonpath, $2::jsonb, $3, $4, $5, $6, ARRAY['tag']
)
