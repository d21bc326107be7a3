-- Whether the database answers (the health routes).
-- (no parameters) -> one value, 1
SELECT 1
