"""The data directory: private file modes, and the instance secret generated there on first start.

* ``<data_dir>`` is created 0700, and tightened to 0700 when it already exists (ours only);
  the SQLite database is created 0600 before SQLite opens it (SQLite gives its -wal/-shm files
  the database's mode), and an existing one is tightened to 0600.  Reports hold message text
  and evidence: other local users must not read them.
* ``sender_hash_secret``: when the operator sets none, a random one is generated into
  ``<data_dir>/sender_hash_secret`` (0600) on first start and read from there afterwards, so
  sender pseudonyms are always keyed (an unkeyed hash of a guessed id would match).  Several
  workers on one machine share it (created atomically); workers on several machines must be
  given the same ``KINDSHIELD_SENDER_HASH_SECRET``.
"""
from __future__ import annotations

import logging
import os
import secrets
import stat
from pathlib import Path

log = logging.getLogger("kindshield.datadir")
SECRET_FILE = "sender_hash_secret"


def _tighten(path: Path, mode: int) -> None:
    try:
        st = path.stat()
        if st.st_uid == os.getuid() and stat.S_IMODE(st.st_mode) & ~mode:
            os.chmod(path, mode)
    except (FileNotFoundError, PermissionError):
        pass
    except AttributeError:   # os.getuid: not on Windows
        pass


def _private_dir(path: Path) -> None:
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    _tighten(path, 0o700)


def prepare(config) -> None:
    """Create/tighten the data directory and the SQLite file before the store opens it."""
    db = config.sqlite_path
    if db is not None:   # (with PostgreSQL the data directory is only made for the secret, if needed)
        _private_dir(Path(config.data_dir).expanduser())
        db.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not db.exists():
            try:
                os.close(os.open(db, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))   # an empty file is an empty database
            except FileExistsError:
                pass
        for suffix in ("", "-wal", "-shm", "-journal"):
            _tighten(db.with_name(db.name + suffix), 0o600)


def sender_secret(config) -> str:
    """The configured secret, or the one generated into the data directory."""
    if config.sender_hash_secret:
        return config.sender_hash_secret
    path = Path(config.data_dir).expanduser() / SECRET_FILE
    if not path.exists():
        _private_dir(path.parent)
        tmp = path.with_name(f".{SECRET_FILE}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(32) + "\n")
        try:
            os.link(tmp, path)   # atomic: the first worker wins, the others read its secret
            log.info("generated the sender pseudonym secret in %s (set KINDSHIELD_SENDER_HASH_SECRET to "
                     "share one between machines)", path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink(missing_ok=True)
    _tighten(path, 0o600)
    value = path.read_text(encoding="utf-8").strip()
    if not value:
        raise RuntimeError(f"{path} is empty: delete it to generate a new sender secret")
    return value
