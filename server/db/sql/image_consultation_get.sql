-- One image consultation.
-- $1 consultation_id bigint
-- -> obj text (PersistentImageConsultation object)
SELECT row_to_json(v)::text AS obj
FROM api_image_consultation AS v
WHERE v.id = $1
