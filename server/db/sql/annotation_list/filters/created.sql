-- afterThan/beforeThan: created strictly after/before (epoch ms, bound as timestamptz).
-- $after_than timestamptz
-- $before_than timestamptz

($after_than IS NULL OR a.created > $after_than)
AND ($before_than IS NULL OR a.created < $before_than)
