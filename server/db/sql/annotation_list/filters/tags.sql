-- Tags: with one of these tags; noTag: without any tag.
-- $tags bigint[]
-- $no_tag boolean

(
    ($tags IS NULL AND NOT $no_tag)
    OR EXISTS (
        SELECT 1 FROM tag_domain_association AS d
        WHERE
            d.domain_ident = a.id AND d.domain_class_name = g.class AND d.tag_id = ANY($tags)
    )
    OR (
        $no_tag AND NOT EXISTS (
            SELECT 1 FROM tag_domain_association AS d
            WHERE d.domain_ident = a.id AND d.domain_class_name = g.class
        )
    )
)
