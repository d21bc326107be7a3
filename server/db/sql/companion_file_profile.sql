-- Whether an abstract image already has a spectral profile (an HDF5 companion file).
-- $1 abstract_image_id bigint -> has_profile bool
SELECT EXISTS (
    SELECT 1 FROM companion_file AS cf WHERE cf.image_id = $1 AND upper(cf.type) = 'HDF5'
)
