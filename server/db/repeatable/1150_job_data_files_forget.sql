CREATE OR REPLACE FUNCTION job_data_files_forget() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO job_data_file_removal (path)
    SELECT r.path FROM removed AS r WHERE r.path IS NOT NULL
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;
