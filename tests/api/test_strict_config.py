"""Strict configuration: each bad setting refuses to start with one line naming the variable and
what it accepts; misspelled names are warned about with the closest known name; a Redis that never
answers keeps /readyz at 503; `check-config` reaches every configured dependency.  Real processes:
`kindshield-server serve` (and gunicorn for the worker path)."""
from __future__ import annotations

import subprocess
import sys
import time

import pytest
import requests
from conftest import REPO, base_env, free_port, start_server
from procs import stop_process

BAD = [
    ("KINDSHIELD_RATE_LIMIT", "600 per minit", "per minute"),
    ("KINDSHIELD_MODEL_THREADS", "-3", "from 1 to 256"),
    ("KINDSHIELD_MODEL_THREADS", "abc", "whole number"),
    ("KINDSHIELD_OFFENDER_RETENTION_DAYS", "-1", "> 0"),
    ("KINDSHIELD_SENDER_HASH_SECRET", "abcde", "at least 32 bytes"),
    ("KINDSHIELD_WEBHOOK_SECRET", "short", "at least 32 bytes"),
    ("KINDSHIELD_LOG_LEVEL", "VERBOSE", "one of DEBUG, INFO"),
    ("KINDSHIELD_SERVER_THREADS", "0", "from 1 to 1024"),
    ("KINDSHIELD_REDIS_URL", "localhost:6379", "redis://"),
    ("KINDSHIELD_CREATE_FIRST_KEY", "maybe", "boolean"),
    ("KINDSHIELD_RETENTION_NOTICES_DAYS", "-5", ">= 0"),
    ("KINDSHIELD_WINDOW_STORE", "memcached", "auto, redis, database"),
    ("KINDSHIELD_PILEON_MIN_ITEMS", "0", "whole number >= 1"),
]


def _run(tmp_path, args, env_extra=None, drop=(), timeout=120):
    env = base_env(tmp_path / "data", env_extra)
    for name in drop:
        env.pop(name, None)
    return subprocess.run([sys.executable, "-m", "kindshield_server.cli", *args], env=env, cwd=str(REPO),
                          capture_output=True, text=True, timeout=timeout)


@pytest.mark.parametrize("name,value,accepted", BAD, ids=[f"{n}={v}" for n, v, _ in BAD])
def test_bad_setting_refuses_to_start_with_one_line(tmp_path, name, value, accepted):
    proc = _run(tmp_path, ["serve", "--port", str(free_port())], {name: value})
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith(f"kindshield-server: error: {name}=") and accepted in lines[0], lines[0]
    if "SECRET" in name:
        assert value not in lines[0]   # secrets are never echoed


def test_test_clock_is_refused_without_the_testing_flag(tmp_path):
    proc = _run(tmp_path, ["serve", "--port", str(free_port())], {"KINDSHIELD_TEST_CLOCK": "1"},
                drop=("KINDSHIELD_TESTING",))
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "KINDSHIELD_TEST_CLOCK" in proc.stderr
    assert "KINDSHIELD_TESTING=1" in proc.stderr


def test_gunicorn_worker_with_a_bad_setting_stops_with_one_line(tmp_path):
    env = base_env(tmp_path / "data", {"KINDSHIELD_RATE_LIMIT": "600 per minit"})
    proc = subprocess.run([sys.executable, "-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{free_port()}",
                           "--no-control-socket", "kindshield_server.wsgi:app"],
                          env=env, cwd=str(REPO), capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0
    assert "kindshield-server: error: KINDSHIELD_RATE_LIMIT='600 per minit': expected" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_misspelled_names_are_warned_about_with_the_closest_name(tmp_path):
    with start_server(tmp_path, {"KINDSHIELD_RATE_LIMT": "5 per minute", "KINDSHIELD_PILEON_MIN_ITEM": "3"},
                      keys=False) as server:
        log = server.log_text()
    assert "unknown setting KINDSHIELD_RATE_LIMT is ignored; did you mean KINDSHIELD_RATE_LIMIT?" in log
    assert "unknown setting KINDSHIELD_PILEON_MIN_ITEM is ignored; did you mean KINDSHIELD_PILEON_MIN_ITEMS?" in log


def test_a_redis_that_never_answered_keeps_the_worker_unready(tmp_path):
    dead_port = free_port()
    env = base_env(tmp_path / "data", {"KINDSHIELD_REDIS_URL": f"redis://127.0.0.1:{dead_port}/0"})
    port = free_port()
    log_path = tmp_path / "server.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen([sys.executable, "-m", "kindshield_server.cli", "serve", "--port", str(port)],
                                env=env, cwd=str(REPO), stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline, status = time.monotonic() + 180, None
            while time.monotonic() < deadline and proc.poll() is None:
                try:
                    r = requests.get(f"http://127.0.0.1:{port}/readyz", timeout=5)
                    status = r.status_code
                    break
                except requests.ConnectionError:
                    time.sleep(0.3)
            assert status == 503, log_path.read_text()
            assert "Redis has not answered since start" in r.json()["error"]["message"]
            assert requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200
        finally:
            stop_process(proc)
    assert "does not answer: /readyz answers 503" in log_path.read_text()


def test_check_config_reaches_every_dependency(tmp_path):
    ok = _run(tmp_path, ["check-config"])
    assert ok.returncode == 0 and "Configuration OK" in ok.stdout, ok.stderr
    bad = _run(tmp_path, ["check-config"], {"KINDSHIELD_REDIS_URL": f"redis://127.0.0.1:{free_port()}/0",
                                            "KINDSHIELD_MODEL_DIR": str(tmp_path),
                                            "KINDSHIELD_MODEL_THREADS": "0"})
    assert bad.returncode == 1
    assert "KINDSHIELD_MODEL_THREADS=0: expected" in bad.stderr   # every problem listed, not only the first
    bad = _run(tmp_path, ["check-config"], {"KINDSHIELD_REDIS_URL": f"redis://127.0.0.1:{free_port()}/0",
                                            "KINDSHIELD_MODEL_DIR": str(tmp_path)})
    assert "KINDSHIELD_REDIS_URL: Redis does not answer" in bad.stderr
    assert "KINDSHIELD_MODEL_DIR=" in bad.stderr and "model.onnx" in bad.stderr
