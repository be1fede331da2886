"""Shared fixtures: a REAL Kindshield server process with the real model.

    def test_something(live_server):
        r = requests.post(live_server.url("/v1/analyze"), json={"texts": ["hi"]},
                          headers=live_server.headers())          # Bearer <api_key>
        assert r.status_code == 200

``live_server`` (session scope) is a :class:`LiveServer`: ``base_url``, ``api_key`` (user
"tester"), ``admin_key`` (user "admin"), ``data_dir``, ``db_path``, ``log_path``, ``env``, and
helpers ``url()``, ``headers()``, ``create_key()``, ``cli()``, ``log_text()``.

For a server with other settings (a different database, a tiny rate limit, ...) use
``start_server(tmp_dir, env={"KINDSHIELD_...": ...})`` as a context manager, or the
``server_factory`` fixture (function scope, stops its servers at the end of the test).
The test server's environment: CORS origins :data:`TEST_CORS_ORIGINS`, a rate limit high enough
never to interfere (per-key limits via ``create_key(rate_limit=...)``), auth cache off.
"""
from __future__ import annotations

import contextlib
import dataclasses
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import pytest
import requests
from procs import stop_process

REPO = Path(__file__).resolve().parents[1]
TEST_EXTENSION_ORIGIN = "chrome-extension://kindshieldtestextensionid"
TEST_WEB_ORIGIN = "https://app.example.org"
TEST_CORS_ORIGINS = f"{TEST_EXTENSION_ORIGIN},{TEST_WEB_ORIGIN}"
STARTUP_TIMEOUT = float(os.environ.get("KINDSHIELD_TEST_STARTUP_TIMEOUT", "180"))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def base_env(data_dir: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for server and CLI processes: this machine's, minus any KINDSHIELD_*
    settings (tests must not inherit an operator's database), plus test defaults."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("KINDSHIELD_") or k.startswith("KINDSHIELD_TEST_")}
    env.update({
        "KINDSHIELD_DATA_DIR": str(data_dir),
        "KINDSHIELD_CORS_ORIGINS": TEST_CORS_ORIGINS,
        "KINDSHIELD_RATE_LIMIT": "100000 per minute",
        "KINDSHIELD_UNMATCHED_RATE_LIMIT": "100000 per minute",
        "KINDSHIELD_TEXT_BUDGET": "1000000000 per minute",
        # the shared session server files thousands of reports (paging over 1,200 of them);
        # the quota's own test sets a small one
        "KINDSHIELD_REPORTS_PER_DAY": "100000",
        "KINDSHIELD_AUTH_CACHE_SECONDS": "0",
        "KINDSHIELD_MODEL_THREADS": "2",
        "KINDSHIELD_LOG_LEVEL": "INFO",
        "KINDSHIELD_CREATE_FIRST_KEY": "0",
        "KINDSHIELD_TESTING": "1",     # test instances may enable the test-only settings
        "PYTHONUNBUFFERED": "1",
    })
    env.update(extra or {})
    return env


def run_cli(env: dict[str, str], *args: str, check: bool = True, timeout: float = 120) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "kindshield_server.cli", *args], env=env, cwd=str(REPO),
                          capture_output=True, text=True, timeout=timeout)
    if check and proc.returncode != 0:
        raise RuntimeError(f"kindshield-server {' '.join(args)} failed ({proc.returncode}): {proc.stderr.strip()}")
    return proc


@dataclasses.dataclass
class LiveServer:
    base_url: str
    api_key: str
    admin_key: str
    data_dir: Path
    db_path: Path | None
    log_path: Path
    env: dict[str, str]
    port: int
    process: subprocess.Popen | None = None

    def url(self, path: str) -> str:
        return self.base_url + path

    def headers(self, key: str | None = None, **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {key or self.api_key}", **extra}

    def cli(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        """Run `kindshield-server ARGS` against this server's database."""
        return run_cli(self.env, *args, check=check)

    def create_key(self, name: str, *, admin: bool = False, user: str | None = None,
                   rate_limit: str | None = None) -> str:
        args = ["keys", "create", "--name", name]
        if admin:
            args.append("--admin")
        if user:
            args += ["--user", user]
        if rate_limit:
            args += ["--rate-limit", rate_limit]
        return self.cli(*args).stdout.strip()

    def log_text(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def get(self, path: str, key: str | None = None, **kw) -> requests.Response:
        return requests.get(self.url(path), headers=self.headers(key), timeout=kw.pop("timeout", 60), **kw)

    def post(self, path: str, json=None, key: str | None = None, **kw) -> requests.Response:
        return requests.post(self.url(path), json=json, headers=self.headers(key), timeout=kw.pop("timeout", 120), **kw)


def wait_ready(base_url: str, proc: subprocess.Popen, log_path: Path, timeout: float = STARTUP_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}:\n{log_path.read_text()[-3000:]}")
        try:
            r = requests.get(base_url + "/readyz", timeout=5)
            if r.status_code == 200:
                return
            last = r.status_code
        except requests.RequestException as exc:
            last = type(exc).__name__
        time.sleep(0.25)
    raise RuntimeError(f"server not ready after {timeout}s (last: {last}):\n{log_path.read_text()[-3000:]}")


@contextlib.contextmanager
def start_server(tmp_dir: Path, env: dict[str, str] | None = None, *, keys: bool = True,
                 args: tuple[str, ...] = ()) -> Iterator[LiveServer]:
    """Start `python -m kindshield_server.cli serve` on a free port; yield a LiveServer; stop it."""
    tmp_dir = Path(tmp_dir)
    data_dir = tmp_dir / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    full_env = base_env(data_dir, env)
    api_key = admin_key = ""
    if keys:
        # --offline: the server is not started yet (keys create refuses a database no server uses)
        api_key = run_cli(full_env, "keys", "create", "--name", "tester", "--offline").stdout.strip()
        admin_key = run_cli(full_env, "keys", "create", "--name", "admin", "--admin", "--offline").stdout.strip()
    port = free_port()
    log_path = tmp_dir / "server.log"
    log = open(log_path, "w", encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "kindshield_server.cli", "serve", "--host", "127.0.0.1", "--port", str(port), *args],
        env=full_env, cwd=str(REPO), stdout=log, stderr=subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{port}"
    db_path = None if full_env.get("KINDSHIELD_DATABASE_URL") else data_dir / "kindshield.db"
    server = LiveServer(base_url=base_url, api_key=api_key, admin_key=admin_key, data_dir=data_dir,
                        db_path=db_path, log_path=log_path, env=full_env, port=port, process=proc)
    try:
        wait_ready(base_url, proc, log_path)
        yield server
    finally:
        stop_process(proc)
        log.close()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The training datasets (``../shared/data``, or $KINDSHIELD_DATA); skips where absent."""
    path = Path(os.environ.get("KINDSHIELD_DATA", REPO.parent / "shared" / "data"))
    if not path.is_dir():
        pytest.skip(f"training data not found at {path}")
    return path


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[LiveServer]:
    """One real server for the whole test session (SQLite in a temporary data dir)."""
    with start_server(tmp_path_factory.mktemp("kindshield")) as server:
        yield server


@pytest.fixture
def server_factory(tmp_path_factory):
    """Start extra servers with their own settings: ``server_factory(env={...})``."""
    stack = contextlib.ExitStack()

    def factory(env: dict[str, str] | None = None, *, keys: bool = True, args: tuple[str, ...] = ()) -> LiveServer:
        return stack.enter_context(start_server(tmp_path_factory.mktemp("kindshield-extra"), env, keys=keys, args=args))

    with stack:
        yield factory


REQUIRE_SERVICES_ENV = "KINDSHIELD_TEST_REQUIRE_SERVICES"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """With KINDSHIELD_TEST_REQUIRE_SERVICES=1 (.ci/run) a skipped `services` test is a failure:
    a broken PostgreSQL/Redis must never let CI pass with the scale-out tests silently skipped."""
    outcome = yield
    report = outcome.get_result()
    if (report.skipped and item.get_closest_marker("services") is not None
            and os.environ.get(REQUIRE_SERVICES_ENV, "").strip().lower() in ("1", "true", "yes")):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"{REQUIRE_SERVICES_ENV} is set but this services test was skipped: {reason}"
