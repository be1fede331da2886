"""Alembic environment.  Run through kindshield_server.store.migrate(), which passes an open
connection (already inside a transaction holding the migration lock) in
``config.attributes["connection"]``.  The `alembic` command line works too: set
KINDSHIELD_DATABASE_URL (or KINDSHIELD_DATA_DIR) and use
``alembic -c <this folder>/alembic.ini ...``."""
from alembic import context

from kindshield_server.store import all_metadata

config = context.config
target_metadata = all_metadata()


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        from kindshield_server.config import load_config
        from kindshield_server.store import make_engine

        engine = make_engine(load_config())
        with engine.connect() as connection:
            _run(connection)
            connection.commit()
        return
    _run(connection)


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",   # ALTER TABLE on SQLite
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; connect to the database")
run()
