-- Keys that carry image_id on the annotation tables. image_id is the column these tables
-- would be distributed by in a Citus cluster (docs/scale-out.md), and Citus accepts a primary
-- key, a unique constraint or a foreign key between two distributed tables only when it
-- includes that column. An id comes from the one global sequence and an annotation never
-- changes image, so every key below accepts and refuses exactly the rows it did before.
-- The key columns keep their old order with image_id appended: lookups by id, by
-- annotation_id and by parent_id, and the keyset walk of the listing (`ORDER BY id DESC`),
-- still use the same leading column of the same index.

-- annotation_track -> annotation: the foreign key now names both columns, so it is the
-- constraint Citus keeps between two co-located shards.
ALTER TABLE annotation_track DROP CONSTRAINT annotation_track_annotation_id_fkey;

ALTER TABLE annotation DROP CONSTRAINT annotation_pkey;
ALTER TABLE annotation ADD CONSTRAINT annotation_pkey PRIMARY KEY (id, image_id);

-- One reviewed copy per annotation (a copy is made in its parent's image).
DROP INDEX annotation_parent_idx;
CREATE UNIQUE INDEX annotation_parent_idx ON annotation (parent_id, image_id)
WHERE parent_id IS NOT NULL;

ALTER TABLE annotation_term DROP CONSTRAINT annotation_term_pkey;
ALTER TABLE annotation_term ADD CONSTRAINT annotation_term_pkey PRIMARY KEY (id, image_id);
ALTER TABLE annotation_term DROP CONSTRAINT annotation_term_annotation_id_term_id_user_id_key;
ALTER TABLE annotation_term ADD CONSTRAINT annotation_term_link_key
UNIQUE (annotation_id, term_id, user_id, image_id);

ALTER TABLE annotation_track DROP CONSTRAINT annotation_track_pkey;
ALTER TABLE annotation_track ADD CONSTRAINT annotation_track_pkey PRIMARY KEY (id, image_id);
ALTER TABLE annotation_track DROP CONSTRAINT annotation_track_annotation_id_track_id_key;
ALTER TABLE annotation_track ADD CONSTRAINT annotation_track_annotation_key
UNIQUE (annotation_id, track_id, image_id);
ALTER TABLE annotation_track DROP CONSTRAINT annotation_track_track_id_slice_id_key;
ALTER TABLE annotation_track ADD CONSTRAINT annotation_track_slice_key
UNIQUE (track_id, slice_id, image_id);
ALTER TABLE annotation_track ADD CONSTRAINT annotation_track_annotation_fkey
FOREIGN KEY (image_id, annotation_id) REFERENCES annotation (image_id, id) ON DELETE CASCADE;

ALTER TABLE annotation_link DROP CONSTRAINT annotation_link_pkey;
ALTER TABLE annotation_link ADD CONSTRAINT annotation_link_pkey PRIMARY KEY (id, image_id);
ALTER TABLE annotation_link DROP CONSTRAINT annotation_link_annotation_id_key;
ALTER TABLE annotation_link ADD CONSTRAINT annotation_link_annotation_key
UNIQUE (annotation_id, image_id);
