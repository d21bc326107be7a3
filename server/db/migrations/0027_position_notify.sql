-- Live following: every broadcast position written to last_user_position is announced on the
-- lamina_user_position channel, so each server worker (one LISTEN connection each) pushes it
-- to the sockets of that broadcaster's followers. PostgreSQL stays the only shared state:
-- the notification is sent at commit, whichever worker wrote the position.
CREATE FUNCTION last_user_position_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('lamina_user_position', json_build_object(
        'kind', 'position',
        'image', NEW.image_id,
        'user', NEW.user_id,
        'position', user_position_wire(
            'be.cytomine.domain.social.LastUserPosition', NEW.id, NEW.created, NEW.user_id,
            NEW.image_id, NEW.slice_id, NEW.project_id, NEW.zoom, NEW.rotation, NEW.broadcast,
            NEW.location, NEW.x, NEW.y
        )
    )::text);
    RETURN NULL;
END
$$;

CREATE TRIGGER last_user_position_broadcast
AFTER INSERT OR UPDATE ON last_user_position
FOR EACH ROW WHEN (NEW.broadcast)
EXECUTE FUNCTION last_user_position_notify();
