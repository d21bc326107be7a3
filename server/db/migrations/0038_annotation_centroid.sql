-- The centroid of each annotation, kept on its row: PostgreSQL computes it once when the
-- location is written (about 1.5 us a row) instead of every listing computing it again for
-- every row it shows (measured at ~2 us a row, a tenth of a 10k-row viewer page).
ALTER TABLE annotation
ADD COLUMN centroid geometry GENERATED ALWAYS AS (st_centroid(location)) STORED;
