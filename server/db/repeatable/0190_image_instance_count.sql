-- project.count_images follows the image instances (a cascade from the project itself
-- updates nothing: the row is already gone).
CREATE OR REPLACE FUNCTION image_instance_count() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE project SET count_images = count_images + 1 WHERE id = NEW.project_id;
    ELSE
        UPDATE project SET count_images = count_images - 1 WHERE id = OLD.project_id;
    END IF;
    RETURN NULL;
END
$$;
