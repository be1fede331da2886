"""A throwaway PostgreSQL and Redis for one test session, when none is given.

    with throwaway_services() as (database_url, redis_url): ...

Debian's ``postgresql`` and ``redis-server`` packages (``scripts/test.sh`` installs them): data in
a fresh temporary directory, free ports on 127.0.0.1, no persistence, stopped and removed afterwards. initdb refuses
to run as root, so as root the cluster belongs to the ``postgres`` user (``runuser``).
"""
from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Iterator

from procs import stop_process  # tests/ is on sys.path under pytest


class ServicesUnavailable(RuntimeError):
    """The binaries are missing or a service did not start (the message says which and why)."""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pg_bin(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    # Debian keeps the server binaries out of PATH
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                        key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0)
    if candidates:
        return candidates[-1]
    raise ServicesUnavailable(f"{name} not found: apt-get install -y --no-install-recommends postgresql redis-server "
                              "(scripts/test.sh does it)")


def _as_postgres(cmd: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return cmd
    runuser = shutil.which("runuser")
    if runuser is None:
        raise ServicesUnavailable("running as root without runuser: cannot start PostgreSQL as a non-root user")
    return [runuser, "-u", "postgres", "--", *cmd]


def _run(cmd: list[str], what: str, timeout: float = 120) -> None:
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise ServicesUnavailable(f"{what} failed ({proc.returncode}): {(proc.stderr or proc.stdout).strip()[-800:]}")


def _wait_port(port: int, timeout: float, what: str, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise ServicesUnavailable(f"{what} exited with {proc.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return
        time.sleep(0.1)
    raise ServicesUnavailable(f"{what} did not listen on 127.0.0.1:{port} within {timeout:.0f}s")


@contextlib.contextmanager
def _postgres(root: Path) -> Iterator[str]:
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    home = root / "pg"            # data, socket and log; owned by postgres when we are root
    home.mkdir()
    if os.geteuid() == 0:
        shutil.chown(home, "postgres")
    data, port = home / "data", _free_port()
    _run(_as_postgres([initdb, "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                       "--locale=C.UTF-8", "--no-sync"]), "initdb")
    # durability off: the data is thrown away anyway
    opts = (f"-p {port} -k {home} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
            "-c full_page_writes=off -c max_connections=200")
    _run(_as_postgres([pg_ctl, "-D", str(data), "-o", opts, "-l", str(home / "postgres.log"),
                       "-w", "-t", "60", "start"]), "pg_ctl start")
    try:
        _wait_port(port, 30, "PostgreSQL")
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(_as_postgres([pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"]),
                       capture_output=True, timeout=60)


@contextlib.contextmanager
def _redis(root: Path) -> Iterator[str]:
    server = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not os.path.exists(server):
        raise ServicesUnavailable("redis-server not found: apt-get install -y --no-install-recommends redis-server "
                                  "(scripts/test.sh does it)")
    port = _free_port()
    proc = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--dir", str(root), "--protected-mode", "no"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        _wait_port(port, 30, "redis-server", proc)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        stop_process(proc)


@contextlib.contextmanager
def throwaway_services() -> Iterator[tuple[str, str]]:
    """Yield (SQLAlchemy URL of the admin database, Redis URL); everything is removed afterwards."""
    # directly under the temp dir: pytest's own temp dirs are 0700 root-only, postgres could not enter
    root = Path(tempfile.mkdtemp(prefix="kindshield-services-"))
    os.chmod(root, 0o755)
    try:
        with _postgres(root) as db, _redis(root) as rd:
            yield db, rd
    finally:
        shutil.rmtree(root, ignore_errors=True)
