"""Fixtures for the SDK tests.

``stub`` is a tiny scripted HTTP server on 127.0.0.1 (see ``sdk_stub.py``)
for what a real server cannot be made to do on demand: answer 429 with
``Retry-After``, 502/503/504, stall past the read timeout, drop the
connection. Everything else is tested against the real server
(``live_server`` from ``tests/conftest.py``).
"""
from __future__ import annotations

import os
from typing import Any

import pytest
from procs import root_conftest
from sdk_stub import Stub

from kindshield import _constants


@pytest.fixture
def stub() -> Any:
    """A fresh scripted HTTP server on 127.0.0.1."""
    server = Stub()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def fast_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make computed backoff delays tiny (Retry-After is still honoured)."""
    monkeypatch.setattr(_constants, "INITIAL_RETRY_DELAY", 0.01)
    monkeypatch.setattr(_constants, "MAX_RETRY_DELAY", 0.05)


@pytest.fixture(scope="session")
def start_server() -> Any:
    """``start_server(tmp_dir, env={...})``: a context manager running a real server of its own
    (``tests/conftest.py``'s), for tests that need other settings."""
    return root_conftest().start_server


@pytest.fixture(scope="session")
def sdk_server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The real Kindshield server for the SDK's integration tests: the shared
    ``live_server`` (real model, temporary SQLite).

    Developer aid: with ``KINDSHIELD_TEST_MODEL_DIR`` set, a server of its
    own is started with that model folder instead (e.g. while the shipped
    model is not built yet).
    """
    model_dir = os.environ.get("KINDSHIELD_TEST_MODEL_DIR")
    if not model_dir:
        yield request.getfixturevalue("live_server")
        return
    with root_conftest().start_server(tmp_path_factory.mktemp("kindshield-sdk"),
                                       env={"KINDSHIELD_MODEL_DIR": model_dir}) as server:
        yield server


@pytest.fixture(scope="session")
def sdk_key(sdk_server: Any) -> str:
    """An API key of a user of the SDK tests' own ("sdk-tests")."""
    return sdk_server.create_key("sdk-tests")


@pytest.fixture(scope="session")
def new_key(sdk_server: Any) -> Any:
    """``new_key("name")``: a key of a fresh user (for tests that need a
    clean slate: protection, notices, reports, stats)."""
    import itertools

    counter = itertools.count(1)

    def make(name: str, **kw: Any) -> str:
        return sdk_server.create_key(f"sdk-{name}-{next(counter)}", **kw)

    return make


@pytest.fixture
def client(sdk_server: Any, sdk_key: str) -> Any:
    """A :class:`kindshield.Client` for the real server."""
    import kindshield

    with kindshield.Client(sdk_server.base_url, sdk_key) as c:
        yield c


@pytest.fixture
def cli(sdk_server: Any, sdk_key: str) -> Any:
    """Run the ``kindshield`` command line as a subprocess against the real
    server (``KINDSHIELD_URL`` / ``KINDSHIELD_API_KEY`` in its environment):
    ``cli("analyze", "text", input=None, key=None, env=None)``."""
    import subprocess
    import sys

    def run(*args: str, input: Any = None, key: Any = None, env: Any = None, timeout: float = 180,
            cwd: Any = None) -> Any:
        full = {k: v for k, v in os.environ.items() if not k.startswith("KINDSHIELD_")}
        full.update({"KINDSHIELD_URL": sdk_server.base_url, "KINDSHIELD_API_KEY": key or sdk_key,
                     "PYTHONIOENCODING": "utf-8", "COLUMNS": "200"})
        full.update(env or {})
        data = input.encode("utf-8") if isinstance(input, str) else input
        proc = subprocess.run([sys.executable, "-m", "kindshield.cli", *args],
                              input=data if data is not None else b"", env=full, capture_output=True,
                              timeout=timeout, cwd=cwd)
        proc.out = proc.stdout.decode("utf-8")  # type: ignore[attr-defined]
        proc.err = proc.stderr.decode("utf-8")  # type: ignore[attr-defined]
        return proc

    return run


@pytest.fixture(autouse=True)
def _no_foreign_running_loop() -> Any:
    """Playwright's sync API (the e2e tests' session-wide browser, which runs before these
    tests in a whole-suite run) leaves its event loop registered as running in the main
    thread, and asyncio.run() refuses to start under it. Each SDK test runs without it."""
    import asyncio

    loop = asyncio._get_running_loop()
    if loop is None:
        yield
        return
    asyncio._set_running_loop(None)
    try:
        yield
    finally:
        asyncio._set_running_loop(loop)
