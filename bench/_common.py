"""Helpers shared by the server benchmarks (run as scripts from bench/)."""
from __future__ import annotations

import socket


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile; NaN for no values."""
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(p / 100 * (len(values) - 1))))]


def start_bench_server(key_names: list[str], threads: int, extra: dict[str, str] | None = None,
                       prefix: str = "kindshield-bench-"):
    """A real server on a free port with a temporary data directory and one key per name, as
    the server benchmarks use it: (process, base URL, keys in the order named, temp dir).
    Rate limits are out of the way; the server's log goes to the temp dir."""
    import os
    import subprocess
    import sys
    import tempfile
    import time
    from pathlib import Path

    import requests

    repo = Path(__file__).resolve().parents[1]
    tmp = tempfile.TemporaryDirectory(prefix=prefix)
    env = {k: v for k, v in os.environ.items() if not k.startswith("KINDSHIELD_")}
    env.update({"KINDSHIELD_DATA_DIR": tmp.name, "KINDSHIELD_RATE_LIMIT": "1000000 per minute",
                "KINDSHIELD_MODEL_THREADS": str(threads), "KINDSHIELD_LOG_LEVEL": "WARNING",
                "KINDSHIELD_CREATE_FIRST_KEY": "0", **(extra or {})})
    keys = [subprocess.run([sys.executable, "-m", "kindshield_server.cli", "keys", "create", "--name", name,
                            "--offline"],   # the server starts below
                           env=env, capture_output=True, text=True, check=True, cwd=repo).stdout.strip()
            for name in key_names]
    port = free_port()
    log_path = Path(tmp.name) / "server.log"
    log = open(log_path, "w")
    proc = subprocess.Popen([sys.executable, "-m", "kindshield_server.cli", "serve", "--port", str(port)],
                            env=env, stdout=log, stderr=subprocess.STDOUT, cwd=repo)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 180
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited: {log_path.read_text()[-2000:]}")
        try:
            if requests.get(url + "/readyz", timeout=2).status_code == 200:
                return proc, url, keys, tmp
        except requests.RequestException:
            pass
        time.sleep(0.3)
    proc.kill()
    raise SystemExit("server did not become ready")
