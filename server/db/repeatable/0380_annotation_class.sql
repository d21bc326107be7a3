-- The Java class of an annotation of a kind.
CREATE OR REPLACE FUNCTION annotation_class(kind text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT CASE kind
        WHEN 'algo' THEN 'be.cytomine.domain.ontology.AlgoAnnotation'
        WHEN 'reviewed' THEN 'be.cytomine.domain.ontology.ReviewedAnnotation'
        ELSE 'be.cytomine.domain.ontology.UserAnnotation'
    END
$$;
