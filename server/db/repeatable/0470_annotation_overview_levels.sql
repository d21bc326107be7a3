-- The stored levels (cell side 2^level px, the finest first): the finest is coarse enough
-- that a bulk insert touches few cells (a shuffled batch of 10k rows upserts ~4x fewer rows
-- than with 256-px cells) and fine enough for a 16x16 grid of the tiles from tier 6 up (4x4
-- at tier 4); every coarser level is stored too (they hold few rows), so reads never regroup.
CREATE OR REPLACE FUNCTION annotation_overview_levels() RETURNS smallint []
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT '{10,11,12,13,14,15,16}'::smallint [] $$;
