"""Database access: pool, migrations, SQL files and store functions."""
