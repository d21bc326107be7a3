-- Where an object lives, for permission checks: its project, storage or ontology, and the
-- user who owns it (annotation author, image adder...), and its class (an annotation asked
-- for under any annotation class answers its own). No row: no such object.
CREATE OR REPLACE FUNCTION domain_container(class_name text, ident bigint)
RETURNS TABLE (
    project_id bigint, storage_id bigint, ontology_id bigint, owner_id bigint, actual_class text
)
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT p.id, NULL::bigint, NULL::bigint, NULL::bigint, class_name
    FROM project AS p
    WHERE class_name = 'be.cytomine.domain.project.Project' AND p.id = ident
    UNION ALL
    SELECT i.project_id, NULL, NULL, i.user_id, class_name
    FROM image_instance AS i
    WHERE class_name = 'be.cytomine.domain.image.ImageInstance' AND i.id = ident
    UNION ALL
    SELECT a.project_id, NULL, NULL, a.user_id, annotation_class(a.kind)
    FROM annotation AS a
    WHERE
        class_name IN (
            'be.cytomine.domain.ontology.UserAnnotation',
            'be.cytomine.domain.ontology.AlgoAnnotation',
            'be.cytomine.domain.ontology.ReviewedAnnotation',
            'be.cytomine.domain.ontology.AnnotationDomain'
        )
        AND a.id = ident
    UNION ALL
    SELECT t.project_id, NULL, NULL, NULL, class_name
    FROM track AS t
    WHERE class_name = 'be.cytomine.domain.ontology.Track' AND t.id = ident
    UNION ALL
    SELECT NULL, f.storage_id, NULL, f.user_id, class_name
    FROM abstract_image AS ai
    INNER JOIN uploaded_file AS f ON ai.uploaded_file_id = f.id
    WHERE class_name = 'be.cytomine.domain.image.AbstractImage' AND ai.id = ident
    UNION ALL
    SELECT NULL, s.id, NULL, s.user_id, class_name
    FROM storage AS s
    WHERE class_name = 'be.cytomine.domain.image.server.Storage' AND s.id = ident
    UNION ALL
    SELECT NULL, NULL, o.id, o.user_id, class_name
    FROM ontology AS o
    WHERE class_name = 'be.cytomine.domain.ontology.Ontology' AND o.id = ident
    UNION ALL
    SELECT NULL, NULL, t.ontology_id, NULL, class_name
    FROM term AS t
    WHERE class_name = 'be.cytomine.domain.ontology.Term' AND t.id = ident
$$;
