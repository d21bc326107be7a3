-- Link annotations to terms (pairs at equal array positions); image, project and kind are
-- copied from the annotation. Existing links are kept; the new ones are checked
-- (annotation_term_links_added) and count into the overview.
-- Each annotation is found by its whole key (id, image_id): one probe of the primary key per
-- pair, whatever the table's statistics say (just after a bulk load they may be missing, and
-- a join on the id alone was then planned as a scan of the whole table: 50 ms at 150k rows).
-- $1 annotation_ids bigint[], $2 term_ids bigint[], $3 user_id bigint,
-- $4 link ids bigint[] (preallocated from lamina_id_seq; NULL: drawn here),
-- $5 image_ids bigint[] (each annotation's image) -> nothing
WITH added AS (
    INSERT INTO annotation_term (id, annotation_id, term_id, user_id, image_id, project_id, kind)
    SELECT
        coalesce(p.id, nextval('lamina_id_seq')), a.id, p.term_id, $3, a.image_id, a.project_id,
        a.kind
    FROM unnest($1::bigint [], $2::bigint [], $4::bigint [], $5::bigint [])
        AS p (annotation_id, term_id, id, image_id)
    JOIN annotation AS a ON a.id = p.annotation_id AND a.image_id = p.image_id
    ON CONFLICT (annotation_id, term_id, user_id, image_id) DO NOTHING
    RETURNING image_id, annotation_id, term_id, user_id
),

written AS (
    SELECT annotation_term_links_added(
        array_agg(added.image_id), array_agg(added.annotation_id), array_agg(added.term_id),
        array_agg(added.user_id)
    )
    FROM added
)

SELECT FROM written
