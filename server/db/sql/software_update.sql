-- Change a software (the body carries the full object).
-- $1 software_id bigint, $2 name text, $3 software_version text, $4 repository_id bigint,
-- $5 processing_server_id bigint, $6 result_name text, $7 execute_command text,
-- $8 pulling_command text, $9 deprecated bool
-- -> nothing
UPDATE software
SET
    name = $2,
    software_version = $3,
    software_user_repository_id = $4,
    default_processing_server_id = $5,
    result_name = $6,
    execute_command = $7,
    pulling_command = $8,
    deprecated = $9,
    updated = now()
WHERE id = $1
