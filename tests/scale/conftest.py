"""Scale-out tests: real PostgreSQL + Redis, several real server processes.

They use ``KINDSHIELD_TEST_DATABASE_URL`` (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)
and ``KINDSHIELD_TEST_REDIS_URL`` (e.g. redis://127.0.0.1:6379/15) when both are set (``.ci/run``
exports them); otherwise the session starts its own throwaway PostgreSQL and Redis
(:mod:`tests.scale.throwaway`), so a plain ``pytest`` runs these tests too. When neither works the
tests are skipped with the reason; ``KINDSHIELD_TEST_REQUIRE_SERVICES=1`` (set by ``.ci/run``)
turns any such skip into a failure.

Isolation: each test gets its own PostgreSQL database (``CREATE DATABASE ks_test_<random>``
through the test URL, dropped afterwards) and its own Redis key prefix (``kst<random>``; only
keys under that prefix are deleted afterwards).  Nothing else on the shared services is touched.

Outages are simulated with :class:`TcpProxy` (a small forwarder on 127.0.0.1 that the test can
stop, which also cuts every open connection, and start again on the same port); the real
PostgreSQL and Redis are never stopped.
"""
from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import secrets
import select
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Iterator

import pytest
import requests
from procs import root_conftest

root = root_conftest()

REPO = root.REPO
DB_ENV = "KINDSHIELD_TEST_DATABASE_URL"
REDIS_ENV = "KINDSHIELD_TEST_REDIS_URL"
REQUIRE_ENV = "KINDSHIELD_TEST_REQUIRE_SERVICES"

HOSTILE_CANDIDATES = [
    "you are a worthless idiot and everyone hates you",
    "shut up you stupid moron, nobody wants you here",
    "you're a pathetic loser, just disappear",
    "go kill yourself, you disgusting freak",
    "you are so ugly and stupid, nobody will ever love you",
]
BENIGN_CANDIDATES = [
    "thanks for sharing, this was really helpful",
    "see you at the meetup tomorrow!",
    "I love the colours in this photo",
]


def _unavailable(reason: str):
    if os.environ.get(REQUIRE_ENV, "").strip() in ("1", "true", "yes"):
        pytest.fail(reason)
    pytest.skip(reason)


# ---------------------------------------------------------------------------
# services

@dataclasses.dataclass(frozen=True)
class Services:
    database_url: str      # SQLAlchemy URL of the test database (the "admin" connection)
    redis_url: str


def _libpq_url(sqlalchemy_url: str) -> str:
    return re.sub(r"^postgresql\+\w+://", "postgresql://", sqlalchemy_url)


@pytest.fixture(scope="session")
def services() -> Iterator[Services]:
    db = os.environ.get(DB_ENV, "").strip()
    rd = os.environ.get(REDIS_ENV, "").strip()
    with contextlib.ExitStack() as stack:
        if not (db and rd):
            from .throwaway import ServicesUnavailable, throwaway_services

            try:
                own_db, own_rd = stack.enter_context(throwaway_services())
            except ServicesUnavailable as exc:
                _unavailable(f"{DB_ENV}/{REDIS_ENV} not set and no throwaway PostgreSQL/Redis could be "
                             f"started: {exc}")
            db, rd = db or own_db, rd or own_rd
        yield _check_services(db, rd)


def _check_services(db: str, rd: str) -> Services:
    if not db.startswith("postgresql"):
        _unavailable(f"{DB_ENV} must be a postgresql+psycopg:// URL, got a {db.split(':')[0]} URL")
    try:
        import psycopg

        with psycopg.connect(_libpq_url(db), connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except Exception as exc:  # noqa: BLE001
        _unavailable(f"{DB_ENV} is set but PostgreSQL does not answer: {type(exc).__name__}: {exc}".strip())
    try:
        import redis

        redis.Redis.from_url(rd, socket_connect_timeout=3).ping()
    except Exception as exc:  # noqa: BLE001
        _unavailable(f"{REDIS_ENV} is set but Redis does not answer: {type(exc).__name__}: {exc}".strip())
    return Services(db, rd)


def _with_database(url: str, name: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(database=name).render_as_string(hide_password=False)


@contextlib.contextmanager
def fresh_database(services: Services) -> Iterator[str]:
    """CREATE DATABASE ks_test_<random>; yield its SQLAlchemy URL; DROP it (WITH (FORCE))."""
    import psycopg

    name = "ks_test_" + secrets.token_hex(6)
    with psycopg.connect(_libpq_url(services.database_url), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _with_database(services.database_url, name)
    finally:
        with psycopg.connect(_libpq_url(services.database_url), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def redis_namespace(services: Services) -> Iterator[str]:
    """A fresh key prefix; afterwards delete the keys under it (and nothing else)."""
    import redis

    prefix = "kst" + secrets.token_hex(5)
    try:
        yield prefix
    finally:
        client = redis.Redis.from_url(services.redis_url)
        keys = list(client.scan_iter(match=f"{prefix}:*", count=500))
        if keys:
            client.delete(*keys)


@pytest.fixture
def pg_url(services) -> Iterator[str]:
    with fresh_database(services) as url:
        yield url


@pytest.fixture
def redis_prefix(services) -> Iterator[str]:
    with redis_namespace(services) as prefix:
        yield prefix


# ---------------------------------------------------------------------------
# a TCP proxy that can be cut and restored (outage simulation)

class TcpProxy:
    """Forward 127.0.0.1:<port> to ``target``.  :meth:`stop` closes the listener and every open
    connection (like a restarting server); :meth:`start` listens again on the same port."""

    def __init__(self, target_host: str, target_port: int, port: int | None = None) -> None:
        self.target = (target_host, target_port)
        self.port = port or root.free_port()
        self._lock = threading.Lock()
        self._conns: set[socket.socket] = set()
        self._listener: socket.socket | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> "TcpProxy":
        ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        deadline = time.monotonic() + 10
        while True:
            try:
                ls.bind(("127.0.0.1", self.port))
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        ls.listen(64)
        self._listener = ls
        self._thread = threading.Thread(target=self._accept_loop, args=(ls,), daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        ls, self._listener = self._listener, None
        if ls is not None:
            with contextlib.suppress(OSError):
                ls.shutdown(socket.SHUT_RDWR)
            ls.close()
        with self._lock:
            conns, self._conns = list(self._conns), set()
        for c in conns:
            with contextlib.suppress(OSError):
                c.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                c.close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _accept_loop(self, ls: socket.socket) -> None:
        while True:
            try:
                client, _ = ls.accept()
            except OSError:
                return
            if self._listener is not ls:
                client.close()
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._conns.update((client, upstream))
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()

    def _pump(self, a: socket.socket, b: socket.socket) -> None:
        socks = [a, b]
        try:
            while True:
                readable, _, _ = select.select(socks, [], [], 1.0)
                if a.fileno() < 0 or b.fileno() < 0:
                    return
                for s in readable:
                    data = s.recv(65536)
                    if not data:
                        return
                    (b if s is a else a).sendall(data)
        except (OSError, ValueError):
            return
        finally:
            for s in (a, b):
                with contextlib.suppress(OSError):
                    s.close()
            with self._lock:
                self._conns.discard(a)
                self._conns.discard(b)


def _host_port(url: str, default_port: int) -> tuple[str, int]:
    from urllib.parse import urlsplit

    u = urlsplit(re.sub(r"^postgresql\+\w+://", "postgresql://", url))
    return u.hostname or "127.0.0.1", u.port or default_port


def _replace_host_port(url: str, port: int) -> str:
    return re.sub(r"@([^/@:]+)(:\d+)?/", f"@127.0.0.1:{port}/", url, count=1) if "@" in url else \
        re.sub(r"://([^/:]+)(:\d+)?", f"://127.0.0.1:{port}", url, count=1)


@contextlib.contextmanager
def proxied(url: str, default_port: int) -> Iterator[tuple[TcpProxy, str]]:
    """A proxy in front of the service named by ``url``; yields (proxy, url through the proxy)."""
    host, port = _host_port(url, default_port)
    proxy = TcpProxy(host, port).start()
    try:
        yield proxy, _replace_host_port(url, proxy.port)
    finally:
        proxy.stop()


# ---------------------------------------------------------------------------
# a deployment: one PostgreSQL database + one Redis prefix, keys, and server processes

@dataclasses.dataclass
class Proc:
    name: str
    base_url: str
    process: subprocess.Popen
    log_path: Path
    workers: int

    def url(self, path: str) -> str:
        return self.base_url + path

    def log_text(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


class Deployment:
    """Servers sharing one database and one Redis.  ``env`` is the shared KINDSHIELD_* setup."""

    def __init__(self, tmp: Path, database_url: str, redis_url: str, redis_prefix: str,
                 extra_env: dict[str, str] | None = None) -> None:
        self.tmp = Path(tmp)
        self.data_dir = self.tmp / "data"
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.database_url = database_url
        self.redis_url = redis_url
        self.redis_prefix = redis_prefix
        self.env = root.base_env(self.data_dir, {
            "KINDSHIELD_DATABASE_URL": database_url,
            "KINDSHIELD_REDIS_URL": redis_url,
            "KINDSHIELD_REDIS_PREFIX": redis_prefix,
            "KINDSHIELD_MODEL_THREADS": "1",
            "KINDSHIELD_DB_BUSY_TIMEOUT": "3",
            **(extra_env or {}),
        })
        self.procs: list[Proc] = []
        self.stack = contextlib.ExitStack()
        self.api_key = ""
        self.admin_key = ""

    # keys -------------------------------------------------------------
    def cli(self, *args: str, env: dict[str, str] | None = None) -> str:
        return root.run_cli({**self.env, **(env or {})}, *args).stdout.strip()

    def create_key(self, name: str, *, admin: bool = False, rate_limit: str | None = None) -> str:
        args = ["keys", "create", "--name", name]
        if admin:
            args.append("--admin")
        if rate_limit:
            args += ["--rate-limit", rate_limit]
        return self.cli(*args)

    def setup_keys(self) -> None:
        self.api_key = self.create_key("tester")
        self.admin_key = self.create_key("admin", admin=True)

    # servers ----------------------------------------------------------
    def _spawn(self, name: str, cmd: list[str], port: int, workers: int, env: dict[str, str] | None) -> Proc:
        log_path = self.tmp / f"{name}.log"
        log = open(log_path, "w", encoding="utf-8")
        self.stack.callback(log.close)
        proc = subprocess.Popen(cmd, env={**self.env, **(env or {})}, cwd=str(REPO), stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)
        p = Proc(name, f"http://127.0.0.1:{port}", proc, log_path, workers)
        self.stack.callback(_terminate, proc)
        self.procs.append(p)
        return p

    def gunicorn(self, workers: int, *, threads: int = 4, env: dict[str, str] | None = None,
                 name: str | None = None) -> Proc:
        port = root.free_port()
        cmd = [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--threads", str(threads),
               "--bind", f"127.0.0.1:{port}", "--timeout", "120", "--graceful-timeout", "10",
               "--no-control-socket", "--access-logfile", "-", "--access-logformat", "gunicorn-access pid=%(p)s %(m)s %(U)s %(s)s",
               "kindshield_server.wsgi:app"]
        return self._spawn(name or f"gunicorn-{len(self.procs)}", cmd, port, workers, env)

    def serve(self, *, env: dict[str, str] | None = None, name: str | None = None) -> Proc:
        port = root.free_port()
        cmd = [sys.executable, "-m", "kindshield_server.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
        return self._spawn(name or f"serve-{len(self.procs)}", cmd, port, 1, env)

    def wait_ready(self, timeout: float = root.STARTUP_TIMEOUT) -> None:
        """Every process answers /readyz and every worker has logged its startup line."""
        deadline = time.monotonic() + timeout
        for p in self.procs:
            root.wait_ready(p.base_url, p.process, p.log_path, timeout=max(5.0, deadline - time.monotonic()))
            while p.log_text().count("kindshield worker ready") < p.workers:
                if p.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{p.name}: not every worker started:\n{p.log_text()[-3000:]}")
                time.sleep(0.3)

    def close(self) -> None:
        self.stack.close()


def _terminate(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture
def deployment_factory(services, tmp_path) -> Iterator:
    """``deployment_factory(database_url=None, redis_url=None, env=None)`` -> Deployment with its
    own fresh database and Redis prefix (overridable, e.g. with a proxied URL); keys created."""
    stack = contextlib.ExitStack()

    def make(*, database_url: str | None = None, redis_url: str | None = None,
             env: dict[str, str] | None = None, name: str = "dep") -> Deployment:
        db = database_url or stack.enter_context(fresh_database(services))
        prefix = stack.enter_context(redis_namespace(services))
        dep = Deployment(tmp_path / f"{name}-{secrets.token_hex(3)}", db, redis_url or services.redis_url,
                         prefix, env)
        stack.callback(dep.close)
        dep.setup_keys()
        return dep

    with stack:
        yield make


# ---------------------------------------------------------------------------
# small HTTP helpers

def H(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def msg(i: int, text: str, relation: str = "stranger", kind: str = "comment", sender: str | None = None) -> dict:
    return {"id": f"m{i}", "kind": kind, "text": text,
            "sender": {"id": sender or f"sender-{i}", "relation": relation}}


def shield(base_url: str, key: str, messages: list[dict], timeout: float = 120) -> requests.Response:
    return requests.post(base_url + "/v1/shield", json={"messages": messages}, headers=H(key), timeout=timeout)


def pick_hostile(base_url: str, key: str) -> list[str]:
    """The candidates the current model treats as hostile (it is still being retrained): blocked
    or folded for a mutual, where no audience rule applies.  Use a key whose window does not matter."""
    r = shield(base_url, key, [msg(i, t, "mutual") for i, t in enumerate(HOSTILE_CANDIDATES)])
    assert r.status_code == 200, r.text
    d = r.json()["decisions"]
    hostile = [t for t, x in zip(HOSTILE_CANDIDATES, d)
               if any(rr["rule"] in ("hostile_fold", "hostile_block") for rr in x["reasons"])]
    if not hostile:
        pytest.fail(f"the model under test flags none of the hostile candidates: {[x['score'] for x in d]}")
    return hostile


def rules(decision: dict) -> set[str]:
    return {r["rule"] for r in decision["reasons"]}
