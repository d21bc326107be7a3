-- The clean-ups of deleted rows move from triggers into the store's delete statements
-- (removed_cascade, called in the same transaction right after each delete), and
-- project.count_images is kept by the image insert and delete statements themselves. A Citus
-- cluster would run a trigger of a distributed or reference table on each shard, on the
-- workers, outside the coordinator's statement (docs/scale-out.md).

-- Properties, tags, attached files and descriptions of deleted objects.
DROP TRIGGER abstract_image_metadata_forget ON abstract_image;
DROP TRIGGER annotation_metadata_forget ON annotation;
DROP TRIGGER image_instance_metadata_forget ON image_instance;
DROP TRIGGER ontology_metadata_forget ON ontology;
DROP TRIGGER project_metadata_forget ON project;
DROP TRIGGER storage_metadata_forget ON storage;
DROP TRIGGER term_metadata_forget ON term;
DROP TRIGGER track_metadata_forget ON track;
DROP FUNCTION domain_metadata_forget();

DROP TRIGGER abstract_image_attached_file_forget ON abstract_image;
DROP TRIGGER annotation_attached_file_forget ON annotation;
DROP TRIGGER image_instance_attached_file_forget ON image_instance;
DROP TRIGGER ontology_attached_file_forget ON ontology;
DROP TRIGGER project_attached_file_forget ON project;
DROP TRIGGER storage_attached_file_forget ON storage;
DROP TRIGGER term_attached_file_forget ON term;
DROP TRIGGER track_attached_file_forget ON track;
DROP FUNCTION attached_file_forget();

DROP TRIGGER abstract_image_description_forget ON abstract_image;
DROP TRIGGER annotation_description_forget ON annotation;
DROP TRIGGER image_instance_description_forget ON image_instance;
DROP TRIGGER ontology_description_forget ON ontology;
DROP TRIGGER project_description_forget ON project;
DROP TRIGGER storage_description_forget ON storage;
DROP TRIGGER term_description_forget ON term;
DROP TRIGGER track_description_forget ON track;
DROP FUNCTION description_forget();

-- Comments and group links of deleted annotations.
DROP TRIGGER annotation_comments_forget ON annotation;
DROP FUNCTION shared_annotation_forget();
DROP TRIGGER annotation_links_cascade ON annotation;
DROP FUNCTION annotation_links_forget();

-- Annotations of deleted projects, images and slices, term links of deleted annotations and
-- terms, and the refusal to delete an account annotations still name.
DROP TRIGGER annotation_cascade ON image_instance;
DROP TRIGGER annotation_cascade ON slice_instance;
DROP TRIGGER annotation_cascade ON project;
DROP TRIGGER annotation_terms_cascade ON annotation;
DROP TRIGGER annotation_term_cascade ON term;
DROP TRIGGER annotation_references_kept ON sec_user;
DROP FUNCTION annotation_parents_removed();

-- project.count_images.
DROP TRIGGER image_instance_count ON image_instance;
DROP FUNCTION image_instance_count();

-- The annotation counters of projects and images, decreased by the statements that delete
-- annotations (annotation_count_subtract).
DROP TRIGGER annotation_count_removed ON annotation;
DROP FUNCTION annotation_count_removed();
