"""Which SQLite database a running server uses, so that ``kindshield-server keys create`` never
writes a key where no server will read it (issue 33: without ``--data-dir`` it used to write to
the default data directory's database while the server ran on another one).

Every serving process (``kindshield-server serve``, each gunicorn worker of ``wsgi.py``) holds a
shared ``flock`` on ``<database>.in-use`` next to the SQLite file for as long as it runs; the
kernel drops it when the process ends, however it ends, so there is no stale state to clean up.
``keys create`` asks for an exclusive lock without waiting: refused means a server is using that
database. Works between containers that share the data volume. With PostgreSQL (servers may run
on other machines) or without ``fcntl`` (Windows) it cannot tell, and says so.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

LOCK_SUFFIX = ".in-use"
_held: list[int] = []   # the serving process's lock descriptors, open until it exits


def lock_path(config) -> Optional[Path]:
    db = config.sqlite_path
    return None if db is None else db.with_name(db.name + LOCK_SUFFIX)


def hold(config) -> None:
    """Mark the database as used by this (serving) process until it exits."""
    path = lock_path(config)
    if path is None or fcntl is None:
        return
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_SH)
    _held.append(fd)


def in_use(config) -> Optional[bool]:
    """Whether a running server uses this configuration's database; ``None`` when that cannot
    be known here (not SQLite, or no ``flock``)."""
    path = lock_path(config)
    if path is None or fcntl is None:
        return None
    try:
        fd = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)
