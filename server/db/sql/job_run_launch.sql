-- What a runner needs to start a job: its software's command, the ids, the keys of its user
-- job and every software parameter with the job's value (else the default), in index order.
-- $1 job_id bigint
-- -> project_id bigint, software_id bigint, command text, public_key text,
--    private_key text, inputs text (JSON array of {name, value_key, flag, value})
SELECT
    j.project_id,
    j.software_id,
    s.execute_command AS command,
    a.public_key,
    a.private_key,
    coalesce(
        (
            SELECT
                json_agg(
                    json_build_object(
                        'name', sp.name,
                        'value_key', sp.value_key,
                        'flag', sp.command_line_flag,
                        'value', coalesce(jp.value, sp.default_value)
                    )
                    ORDER BY sp.index, sp.id
                )
            FROM software_parameter AS sp
            LEFT JOIN job_parameter AS jp
                ON jp.software_parameter_id = sp.id AND jp.job_id = j.id
            WHERE sp.software_id = j.software_id
        ),
        '[]'::json
    )::text AS inputs
FROM job AS j
INNER JOIN software AS s ON j.software_id = s.id
LEFT JOIN user_job AS uj ON j.id = uj.job_id
LEFT JOIN sec_user AS a ON uj.id = a.id
WHERE j.id = $1
