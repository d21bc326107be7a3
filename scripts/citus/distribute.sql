-- Distribute Lamina's schema over a Citus cluster (docs/scale-out.md): run once on the
-- coordinator, after the migrations, with the workers added. The plan is checked against the
-- schema by tests/sql/test_citus_schema.py (the tables named here, the reference tables in
-- foreign-key order).

-- Every table joins Citus's metadata as a table of the coordinator, with the tables it is
-- linked to by foreign keys; those named below then become reference or distributed tables,
-- the rest stay on the coordinator.
SELECT citus_add_local_table_to_metadata('sec_user', cascade_via_foreign_keys => true);

-- Reference tables (a copy on every node), each after the tables it references.
SELECT create_reference_table('image_server');
SELECT create_reference_table('relation');
SELECT create_reference_table('sec_role');
SELECT create_reference_table('sec_user');
SELECT create_reference_table('ontology');
SELECT create_reference_table('sec_user_sec_role');
SELECT create_reference_table('shared_annotation');
SELECT create_reference_table('storage');
SELECT create_reference_table('project');
SELECT create_reference_table('storage_member');
SELECT create_reference_table('term');
SELECT create_reference_table('uploaded_file');
SELECT create_reference_table('abstract_image');
SELECT create_reference_table('image_group');
SELECT create_reference_table('project_member');
SELECT create_reference_table('relation_term');
SELECT create_reference_table('abstract_slice');
SELECT create_reference_table('annotation_group');
SELECT create_reference_table('image_instance');
SELECT create_reference_table('slice_instance');
SELECT create_reference_table('track');

-- The annotation tables, distributed by image and co-located with annotation: an image's
-- rows of all of them live on one node.
SELECT create_distributed_table('annotation', 'image_id');
SELECT create_distributed_table('annotation_term', 'image_id', colocate_with => 'annotation');
SELECT create_distributed_table('annotation_track', 'image_id', colocate_with => 'annotation');
SELECT create_distributed_table('annotation_link', 'image_id', colocate_with => 'annotation');
SELECT create_distributed_table('annotation_overview', 'image_id', colocate_with => 'annotation');
SELECT create_distributed_table(
    'annotation_overview_delta', 'image_id', colocate_with => 'annotation'
);
SELECT create_distributed_table(
    'annotation_overview_version', 'image_id', colocate_with => 'annotation'
);
