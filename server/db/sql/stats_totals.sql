-- Instance-wide counters of the admin dashboard.
-- (no parameters)
-- -> users, projects, images, abstract_images, user_annotations, job_annotations,
--    reviewed_annotations, terms, ontologies (bigint each)
SELECT
    (SELECT count(*) FROM sec_user) AS users,
    (SELECT count(*) FROM project) AS projects,
    (SELECT count(*) FROM image_instance) AS images,
    (SELECT count(*) FROM abstract_image) AS abstract_images,
    (SELECT count(*) FROM annotation WHERE kind = 'user') AS user_annotations,
    (SELECT count(*) FROM annotation WHERE kind = 'algo') AS job_annotations,
    (SELECT count(*) FROM annotation WHERE kind = 'reviewed') AS reviewed_annotations,
    (SELECT count(*) FROM term) AS terms,
    (SELECT count(*) FROM ontology) AS ontologies
