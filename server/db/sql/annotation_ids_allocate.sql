-- A block of ids from the shared sequence, for rows inserted in bulk.
-- $1 count int -> ids bigint[]
SELECT coalesce(array_agg(nextval('lamina_id_seq')), '{}') FROM generate_series(1, $1)
