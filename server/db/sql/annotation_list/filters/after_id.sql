-- Keyset paging (afterId): ids below the last id of the previous page.
-- $after_id bigint

($after_id IS NULL OR a.id < $after_id)
