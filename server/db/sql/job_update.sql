-- Change a job's run state; absent (NULL) values keep the current ones. The status moves only
-- along the life cycle (job_status_checked refuses the others).
-- $1 job_id bigint, $2 status integer, $3 progress integer, $4 status_comment text,
-- $5 rate double precision, $6 processing_server_id bigint, $7 favorite bool,
-- $8 data_deleted bool
-- -> id bigint
UPDATE job SET
    status = coalesce($2, status),
    progress = coalesce($3, progress),
    status_comment = coalesce($4, status_comment),
    rate = coalesce($5, rate),
    processing_server_id = coalesce($6, processing_server_id),
    favorite = coalesce($7, favorite),
    data_deleted = coalesce($8, data_deleted),
    updated = now()
WHERE id = $1
RETURNING id
