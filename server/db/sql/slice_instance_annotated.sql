-- Whether annotations lie on a slice instance.
-- $1 slice_instance_id bigint -> annotated bool
SELECT EXISTS (SELECT 1 FROM annotation AS a WHERE a.slice_id = $1)
