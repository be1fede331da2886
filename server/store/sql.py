"""Small SQL helpers shared by the repository modules: ids, the one dialect upsert, row locks.

Every helper takes an open :class:`sqlalchemy.Connection` inside a transaction.
"""
from __future__ import annotations

import uuid
from typing import Any, Mapping, Sequence

from sqlalchemy import Connection, Table, and_, func, insert, select, update


def new_id() -> str:
    return str(uuid.uuid4())


def dialect(conn: Connection) -> str:
    return conn.engine.dialect.name


def upsert(conn: Connection, table: Table, values: Mapping[str, Any], index_elements: Sequence[str],
           set_: Mapping[str, Any] | None = None) -> int:
    """INSERT ``values``; on a conflict on ``index_elements`` do nothing (``set_`` is None) or
    UPDATE the existing row with ``set_`` (``INSERT ... ON CONFLICT``, SQLite and PostgreSQL).

    Returns the number of rows written: with ``set_=None`` that is 1 when a row was inserted and
    0 when one already existed.
    """
    d = dialect(conn)
    if d == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dinsert
    elif d == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as dinsert
    else:  # pragma: no cover - other engines: best effort, not atomic
        where = and_(*[table.c[k] == values[k] for k in index_elements])
        if set_ is not None:
            if conn.execute(update(table).where(where).values(**set_)).rowcount:
                return 1
        elif conn.execute(select(func.count()).select_from(table).where(where)).scalar_one():
            return 0
        return conn.execute(insert(table).values(**values)).rowcount
    stmt = dinsert(table).values(**values)
    if set_ is None:
        stmt = stmt.on_conflict_do_nothing(index_elements=list(index_elements))
    else:
        stmt = stmt.on_conflict_do_update(index_elements=list(index_elements), set_=dict(set_))
    # rowcount is not reliable for INSERT ... ON CONFLICT on every driver (psycopg gives -1): count RETURNING rows
    return len(conn.execute(stmt.returning(table.c[index_elements[0]])).all())


def lock_row(conn: Connection, table: Table, key_col: str, key: Any):
    """SELECT the row FOR UPDATE (PostgreSQL row lock; SQLite writers are already
    serialised by BEGIN IMMEDIATE)."""
    stmt = select(table).where(table.c[key_col] == key)
    if dialect(conn) == "postgresql":
        stmt = stmt.with_for_update()
    return conn.execute(stmt).first()
