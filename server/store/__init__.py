"""Storage: one SQLAlchemy engine per process, Alembic migrations, transactions.

    from kindshield_server.store import get_store
    store = get_store()                 # inside a request (or app context)
    with store.begin() as conn:         # write transaction (BEGIN IMMEDIATE on SQLite)
        conn.execute(table.insert().values(...))
    with store.read() as conn:          # read-only work
        rows = conn.execute(select(...)).all()

Database errors (locked, unreachable, read-only) propagate as SQLAlchemy OperationalError /
DBAPIError and the app's error handler turns them into 503 + Retry-After.
"""
from __future__ import annotations

import contextlib
import importlib
import logging
import pkgutil
from pathlib import Path
from typing import Iterator

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.pool import StaticPool

from .schema import metadata, utcnow  # noqa: F401  (re-exported)

log = logging.getLogger("kindshield.store")

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_MIGRATION_LOCK_ID = 0x6B696E64  # "kind": pg_advisory_xact_lock key for migrations
EXTENSION_KEY = "kindshield.store"
_USER_LOCK_BASE = 0x4B53 << 32   # "KS": per-user advisory lock keys (user ids stay far below 2**32)


def all_metadata():
    """The MetaData with every table: imports each module of this package (feature tables)."""
    for mod in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if mod.name != "migrations":
            importlib.import_module(f"{__name__}.{mod.name}")
    return metadata


def make_engine(config) -> Engine:
    url = config.sqlalchemy_url
    if url.startswith("sqlite"):
        path = config.sqlite_path
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        kwargs: dict = {"connect_args": {"timeout": config.db_busy_timeout, "check_same_thread": False}}
        if path is None:  # in-memory database: one shared connection
            kwargs["poolclass"] = StaticPool
        engine = create_engine(url, **kwargs)
        busy_ms = int(config.db_busy_timeout * 1000)

        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_conn, _record):
            # take over transaction control from pysqlite (so BEGIN IMMEDIATE is possible)
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute(f"PRAGMA busy_timeout={busy_ms}")
            if path is not None:
                try:
                    cur.execute("PRAGMA journal_mode=WAL")
                except Exception:  # read-only file system/database: keep the current mode
                    pass
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Connection):
            mode = conn.get_execution_options().get("kindshield_begin", "DEFERRED")
            conn.exec_driver_sql(f"BEGIN {mode}")

        return engine

    connect_args: dict = {}
    if url.startswith("postgresql"):
        connect_args["connect_timeout"] = max(1, int(config.db_busy_timeout))
    return create_engine(url, pool_pre_ping=True, pool_size=int(getattr(config, "db_pool_size", 5)),
                         max_overflow=int(getattr(config, "db_max_overflow", 10)),
                         pool_timeout=config.db_busy_timeout, connect_args=connect_args)


class Store:
    def __init__(self, config, engine: Engine | None = None) -> None:
        self.config = config
        self.engine = engine or make_engine(config)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextlib.contextmanager
    def begin(self, user_id: int | None = None) -> Iterator[Connection]:
        """A write transaction; commits on success, rolls back on error.

        On SQLite it starts with BEGIN IMMEDIATE, so concurrent writers queue (up to
        db_busy_timeout) instead of failing half-way.  On PostgreSQL use row locks
        (``select(...).with_for_update()``) or :meth:`advisory_lock` where order matters.

        ``user_id``: first take that user's transaction lock (PostgreSQL advisory lock), so that
        one user's write transactions run one at a time across every worker.  Per-user routes
        that touch several of the user's rows (counters, lockdowns, notices, chain) use it: their
        read-decide-write steps cannot interleave, and they cannot deadlock on each other.
        """
        with self.engine.connect() as conn:
            conn = conn.execution_options(kindshield_begin="IMMEDIATE")
            with conn.begin():
                if user_id is not None:
                    self.advisory_lock(conn, _USER_LOCK_BASE + int(user_id))
                yield conn

    @contextlib.contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            with conn.begin():
                yield conn

    def advisory_lock(self, conn: Connection, key: int) -> None:
        """Serialize transactions on ``key`` (PostgreSQL advisory lock; SQLite's BEGIN
        IMMEDIATE already serializes writers).  Released at the end of the transaction."""
        if self.dialect == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": int(key)})

    def ping(self) -> bool:
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return True
        except Exception as exc:  # noqa: BLE001 - readiness only reports
            log.warning("database ping failed: %s", type(exc).__name__)
            return False

    def migrate(self, revision: str = "head") -> None:
        migrate(self.engine, revision)

    def dispose(self) -> None:
        self.engine.dispose()


def alembic_config():
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig(str(MIGRATIONS_DIR / "alembic.ini"))
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def migrate(engine: Engine, revision: str = "head") -> None:
    """Upgrade the schema to ``revision``; safe to run from several processes at once
    (SQLite: BEGIN IMMEDIATE; PostgreSQL: an advisory lock)."""
    from alembic import command

    cfg = alembic_config()
    with engine.connect() as conn:
        conn = conn.execution_options(kindshield_begin="IMMEDIATE")
        with conn.begin():
            if engine.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK_ID})
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)


def revisions() -> list[tuple[str, str]]:
    """Every migration, oldest first: ``(revision, first line of its message)``."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return [(s.revision, (s.doc or "").splitlines()[0]) for s in reversed(list(script.walk_revisions()))]


def migrate_to(engine: Engine, target: str = "head") -> tuple[str | None, str | None, list[str]]:
    """Upgrade -- or downgrade, when ``target`` is older than the current revision -- under the
    migration lock.  Returns ``(before, after, applied)`` where ``applied`` lists the steps run
    (``"upgrade 1301 -> 3801"``), empty when the database was already there."""
    from alembic import command
    from alembic.script import ScriptDirectory

    cfg = alembic_config()
    script = ScriptDirectory.from_config(cfg)
    known = [r for r, _ in revisions()]
    if target not in ("head", "base") and target not in known:
        raise ValueError(f"unknown revision {target!r}; known: {', '.join(known)}")
    with engine.connect() as conn:
        conn = conn.execution_options(kindshield_begin="IMMEDIATE")
        with conn.begin():
            if engine.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK_ID})
            from alembic.runtime.migration import MigrationContext

            before = MigrationContext.configure(conn).get_current_revision()
            resolved = script.get_current_head() if target == "head" else (None if target == "base" else target)
            older = before is not None and (resolved is None or (resolved != before and resolved in
                                            [s.revision for s in script.iterate_revisions(before, "base")]))
            cfg.attributes["connection"] = conn
            if older:
                command.downgrade(cfg, target)
            else:
                command.upgrade(cfg, target)
            after = MigrationContext.configure(conn).get_current_revision()
    order = [None, *known]
    i, j = order.index(before), order.index(after)
    if j > i:
        applied = [f"upgrade {order[k] or 'base'} -> {order[k + 1]}" for k in range(i, j)]
    else:
        applied = [f"downgrade {order[k]} -> {order[k - 1] or 'base'}" for k in range(i, j, -1)]
    return before, after, applied


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def get_store() -> Store:
    from flask import current_app

    return current_app.extensions[EXTENSION_KEY]
