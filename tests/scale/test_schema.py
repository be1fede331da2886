"""The same Alembic migrations build the PostgreSQL schema, and it matches the table definitions."""
from __future__ import annotations

import subprocess
import sys

import pytest
from sqlalchemy import create_engine, inspect

from .conftest import REPO, root

pytestmark = pytest.mark.services   # real PostgreSQL + Redis (skipped without them)


def test_migrations_build_the_full_schema_on_postgresql(pg_url, tmp_path):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from kindshield_server.store import all_metadata, current_revision

    env = root.base_env(tmp_path, {"KINDSHIELD_DATABASE_URL": pg_url})
    # two processes migrating at the same moment (like gunicorn workers starting): the advisory lock
    procs = [subprocess.Popen([sys.executable, "-m", "kindshield_server.cli", "migrate"], env=env, cwd=str(REPO),
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for _ in range(2)]
    for p in procs:
        out, _ = p.communicate(timeout=120)
        assert p.returncode == 0, out
    root.run_cli(env, "migrate")   # idempotent

    engine = create_engine(pg_url)
    try:
        assert engine.dialect.name == "postgresql"
        tables = set(inspect(engine).get_table_names())
        metadata = all_metadata()
        assert set(metadata.tables) <= tables, set(metadata.tables) - tables
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            diffs = compare_metadata(ctx, metadata)
        assert diffs == [], f"migrations and table definitions differ on PostgreSQL: {diffs}"
        from alembic.script import ScriptDirectory

        from kindshield_server.store import alembic_config

        head = ScriptDirectory.from_config(alembic_config()).get_current_head()
        assert current_revision(engine) == head
    finally:
        engine.dispose()


def test_keys_cli_against_postgresql(pg_url, tmp_path):
    env = root.base_env(tmp_path, {"KINDSHIELD_DATABASE_URL": pg_url})
    key = root.run_cli(env, "keys", "create", "--name", "pg-user").stdout.strip()
    assert key
    listed = root.run_cli(env, "keys", "list", "--json").stdout
    assert "pg-user" in listed and key not in listed
    assert root.run_cli(env, "keys", "revoke", "pg-user").returncode == 0
