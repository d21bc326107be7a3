-- Files produced by jobs (Cytomine's JobData) and the queue of the job runner.
--
-- A job data row is declared first (job, key, filename) and its bytes uploaded afterwards; they
-- live under the storage root at path (jobdata/<id>/<name>), NULL until uploaded. Rows go with
-- their job; the store removes the files.
--
-- job_run is the runner's state: a row per queued or running job. Runners (server processes,
-- `lamina worker` processes) take the oldest queued row with FOR UPDATE SKIP LOCKED and write
-- which database session they hold for the whole run (backend pid and start time); a run whose
-- session is gone from pg_stat_activity belongs to a runner that died, and any runner turns
-- its job FAILED. The row is deleted when the run ends.
--
-- While a job runs, the final status its algorithm reports (CytomineJob sets SUCCESS or FAILED
-- just before its process exits) is held in its run row and the job stays RUNNING: the runner
-- applies it once the process has ended and its output is kept, so a client that sees a final
-- status also finds the run's stdout and stderr. Reporting KILLED asks the runner to stop it.

CREATE TABLE job_data (
    id bigint PRIMARY KEY DEFAULT nextval('lamina_id_seq'),
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz,
    job_id bigint NOT NULL REFERENCES job (id) ON DELETE CASCADE,
    key text NOT NULL CHECK (key <> '' AND length(key) <= 255),
    filename text NOT NULL CHECK (filename <> '' AND length(filename) <= 255),
    path text,
    size bigint CHECK (size >= 0),
    content_type text,
    user_id bigint REFERENCES sec_user (id) ON DELETE SET NULL
);
CREATE INDEX job_data_job_idx ON job_data (job_id);

CREATE VIEW api_job_data AS
SELECT
    'be.cytomine.processing.JobData'::text AS "class",
    d.id,
    epoch_ms(d.created) AS created,
    epoch_ms(d.updated) AS updated,
    d.key,
    d.job_id AS job,
    d.filename,
    d.size
FROM job_data AS d;

CREATE TABLE job_run (
    job_id bigint PRIMARY KEY REFERENCES job (id) ON DELETE CASCADE,
    queued timestamptz NOT NULL DEFAULT clock_timestamp(),
    started timestamptz,
    -- Who runs it: a label (host and process id) and the database session it holds.
    runner text,
    runner_backend integer,
    runner_backend_start timestamptz,
    kill_requested boolean NOT NULL DEFAULT false,
    reported_status integer,
    reported_comment text,
    CHECK ((started IS NULL) = (runner_backend IS NULL))
);
CREATE INDEX job_run_queue_idx ON job_run (queued, job_id) WHERE started IS NULL;

-- Fires before job_status_checked (triggers of an event fire in name order).
CREATE FUNCTION job_run_holds_end() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status IN (3, 4, 5, 8) AND NEW.status <> OLD.status THEN
        UPDATE job_run AS r
        SET
            reported_status = NEW.status,
            reported_comment = NEW.status_comment,
            kill_requested = r.kill_requested OR NEW.status = 8
        WHERE r.job_id = NEW.id AND r.started IS NOT NULL;
        IF FOUND THEN
            NEW.status := OLD.status;
        END IF;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER job_run_holds_end BEFORE UPDATE OF status ON job
FOR EACH ROW EXECUTE FUNCTION job_run_holds_end();

-- Files of deleted job data rows, to remove from the storage root. Rows go with their job (and
-- the job with its project) in SQL; their files are queued here in the same transaction, so a
-- rolled back deletion keeps them, and removed once committed (by the request that deleted
-- them, else by the next runner round).
CREATE TABLE job_data_file_removal (
    path text PRIMARY KEY,
    queued timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION job_data_files_forget() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO job_data_file_removal (path)
    SELECT r.path FROM removed AS r WHERE r.path IS NOT NULL
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;
CREATE TRIGGER job_data_files_forget AFTER DELETE ON job_data
REFERENCING OLD TABLE AS removed
FOR EACH STATEMENT EXECUTE FUNCTION job_data_files_forget();
