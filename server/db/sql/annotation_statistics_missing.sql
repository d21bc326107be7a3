-- Whether PostgreSQL has no statistics yet for the annotation table (never analyzed: its
-- planner then takes default estimates), server/db/store/table_statistics.py.
-- -> boolean
SELECT NOT EXISTS (
    SELECT FROM pg_stats AS s
    INNER JOIN pg_namespace AS n ON s.schemaname = n.nspname
    INNER JOIN pg_class AS c ON c.relnamespace = n.oid AND s.tablename = c.relname
    WHERE c.oid = 'annotation'::regclass AND s.attname = 'id'
)
