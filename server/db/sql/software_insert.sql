-- Register a software owned by its creator.
-- $1 name text, $2 software_version text, $3 user_id bigint, $4 repository_id bigint,
-- $5 processing_server_id bigint, $6 result_name text, $7 execute_command text,
-- $8 pulling_command text, $9 deprecated bool, $10 descriptor jsonb
-- -> id bigint
INSERT INTO software (
    name, software_version, user_id, software_user_repository_id,
    default_processing_server_id, result_name, execute_command, pulling_command,
    deprecated, descriptor
)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
RETURNING id
