"""Scale-out benchmark: throughput of gunicorn with 1, 2 and 4 workers against PostgreSQL and
Redis, next to the SQLite single-process server, all in the same run on this machine.

    python bench/scaleout.py                                  # PostgreSQL/Redis from the test URLs
    python bench/scaleout.py --workers 1,2,4 --duration 20 --concurrency 8 --json out.json

PostgreSQL: a fresh database ``ks_bench_<random>`` is created through ``--database-url`` (default
$KINDSHIELD_TEST_DATABASE_URL, else postgresql+psycopg://postgres@127.0.0.1:5432/test) and dropped
at the end.  Redis: ``--redis-url`` (default $KINDSHIELD_TEST_REDIS_URL, else
redis://127.0.0.1:6379/15) under a fresh key prefix, deleted at the end.

Workload (the stateful path a platform uses): ``POST /v1/shield`` with ``--batch`` messages per
request (a fixed mix of friendly and hostile comments from strangers), from ``--concurrency``
client threads, each its own user (API key), so every request runs the model, writes counters in
the database, and feeds the pile-on window (Redis, or the database for SQLite).  Each configuration
gets a short warm-up, then ``--duration`` seconds of measurement.  Prints a Markdown table
(requests/s, messages/s, p50/p99 latency, errors) and the machine's load while it ran.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import free_port, percentile  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from procs import stop_process  # noqa: E402 - shared with the test fixtures

REPO = Path(__file__).resolve().parents[1]

MESSAGES = [
    "Thanks for sharing, this was really helpful!",
    "You are a worthless idiot, nobody wants you here.",
    "What time does the match start tomorrow?",
    "Shut up and go away, loser.",
    "Great video, subscribed!",
    "People like you should be banned from the internet.",
    "谢谢你的分享，真的很有帮助！",
    "你就是个废物，滚出去。",
]





def libpq(url: str) -> str:
    return re.sub(r"^postgresql\+\w+://", "postgresql://", url)


@contextlib.contextmanager
def fresh_database(admin_url: str):
    import psycopg
    from sqlalchemy.engine import make_url

    name = "ks_bench_" + secrets.token_hex(5)
    with psycopg.connect(libpq(admin_url), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(libpq(admin_url), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def redis_prefix(url: str):
    import redis

    prefix = "ksb" + secrets.token_hex(4)
    try:
        yield prefix
    finally:
        client = redis.Redis.from_url(url)
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        for i in range(0, len(keys), 1000):
            client.delete(*keys[i:i + 1000])


def server_env(data_dir: Path, extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KINDSHIELD_")}
    env.update({"KINDSHIELD_DATA_DIR": str(data_dir), "KINDSHIELD_RATE_LIMIT": "1000000 per minute",
                "KINDSHIELD_CREATE_FIRST_KEY": "0", "KINDSHIELD_LOG_LEVEL": "WARNING", "PYTHONUNBUFFERED": "1"})
    env.update(extra)
    return env


def create_keys(env: dict[str, str], n: int) -> list[str]:
    keys = []
    for i in range(n):
        out = subprocess.run([sys.executable, "-m", "kindshield_server.cli", "keys", "create", "--name",
                              f"bench-{i}", "--offline"], env=env, cwd=str(REPO), capture_output=True, text=True, check=True)
        keys.append(out.stdout.strip())
    return keys


@contextlib.contextmanager
def running(cmd: list[str], env: dict[str, str], port: int, log_path: Path, timeout: float = 180):
    log = open(log_path, "w", encoding="utf-8")
    proc = subprocess.Popen(cmd, env=env, cwd=str(REPO), stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited: {log_path.read_text()[-2000:]}")
            try:
                if requests.get(f"http://127.0.0.1:{port}/readyz", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("server not ready")
            time.sleep(0.3)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_process(proc, grace=20)
        log.close()


def load(base_url: str, keys: list[str], batch: int, duration: float, warmup: float) -> dict:
    lat: list[float] = []
    errors: dict[str, int] = {}
    done = [0]
    lock = threading.Lock()
    t_start = time.monotonic() + warmup
    t_end = t_start + duration

    def client(ci: int, key: str) -> None:
        s = requests.Session()
        s.headers["Authorization"] = f"Bearer {key}"
        i = 0
        while True:
            now = time.monotonic()
            if now >= t_end:
                return
            msgs = [{"id": f"c{ci}-{i}-{j}", "kind": "comment", "text": MESSAGES[(i * batch + j + ci) % len(MESSAGES)],
                     "sender": {"id": f"sender-{(i + j) % 23}", "relation": "stranger"}} for j in range(batch)]
            i += 1
            t0 = time.perf_counter()
            try:
                r = s.post(base_url + "/v1/shield", json={"messages": msgs}, timeout=60)
                code = str(r.status_code)
            except requests.RequestException as exc:
                code = type(exc).__name__
            dt = time.perf_counter() - t0
            if now < t_start:
                continue
            with lock:
                if code == "200":
                    lat.append(dt)
                    done[0] += 1
                else:
                    errors[code] = errors.get(code, 0) + 1

    threads = [threading.Thread(target=client, args=(i, k)) for i, k in enumerate(keys)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"requests": done[0], "rps": done[0] / duration, "messages_per_s": done[0] * batch / duration,
            "p50_ms": percentile(lat, 50) * 1000, "p99_ms": percentile(lat, 99) * 1000, "errors": errors}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--database-url", default=os.environ.get("KINDSHIELD_TEST_DATABASE_URL")
                    or "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    ap.add_argument("--redis-url", default=os.environ.get("KINDSHIELD_TEST_REDIS_URL") or "redis://127.0.0.1:6379/15")
    ap.add_argument("--workers", default="1,2,4", help="gunicorn worker counts (default 1,2,4)")
    ap.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker")
    ap.add_argument("--model-threads", type=int, default=1, help="ONNX threads per worker")
    ap.add_argument("--concurrency", type=int, default=8, help="client threads (one user each)")
    ap.add_argument("--batch", type=int, default=4, help="messages per /v1/shield request")
    ap.add_argument("--duration", type=float, default=20.0, help="measured seconds per configuration")
    ap.add_argument("--warmup", type=float, default=3.0)
    ap.add_argument("--json", help="also write the results here")
    args = ap.parse_args(argv)

    workers = [int(w) for w in args.workers.split(",") if w.strip()]
    results = []
    load_before = os.getloadavg()
    common = {"KINDSHIELD_MODEL_THREADS": str(args.model_threads)}

    with tempfile.TemporaryDirectory(prefix="ks-scaleout-") as tmp:
        tmp = Path(tmp)
        # 1. SQLite, one `kindshield-server serve` process (the default single-machine setup)
        env = server_env(tmp / "sqlite", common)
        keys = create_keys(env, args.concurrency)
        port = free_port()
        cmd = [sys.executable, "-m", "kindshield_server.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
        with running(cmd, env, port, tmp / "sqlite.log") as url:
            r = load(url, keys, args.batch, args.duration, args.warmup)
        results.append({"setup": "SQLite, `kindshield-server serve` (1 process)", "workers": 1, **r})
        print(json.dumps(results[-1]), flush=True)

        # 2. PostgreSQL + Redis, gunicorn with N workers (each N on a fresh database and prefix)
        for n in workers:
            with fresh_database(args.database_url) as db, redis_prefix(args.redis_url) as prefix:
                env = server_env(tmp / f"pg{n}", {**common, "KINDSHIELD_DATABASE_URL": db,
                                                  "KINDSHIELD_REDIS_URL": args.redis_url,
                                                  "KINDSHIELD_REDIS_PREFIX": prefix})
                keys = create_keys(env, args.concurrency)
                port = free_port()
                cmd = [sys.executable, "-m", "gunicorn", "--workers", str(n), "--threads", str(args.threads),
                       "--bind", f"127.0.0.1:{port}", "--timeout", "120", "--no-control-socket",
                       "kindshield_server.wsgi:app"]
                with running(cmd, env, port, tmp / f"gunicorn{n}.log") as url:
                    time.sleep(1.0 + 0.5 * n)   # let every worker finish loading its model
                    r = load(url, keys, args.batch, args.duration, args.warmup)
            results.append({"setup": f"PostgreSQL + Redis, gunicorn --workers {n}", "workers": n, **r})
            print(json.dumps(results[-1]), flush=True)

    load_after = os.getloadavg()
    print()
    print(f"machine: {os.cpu_count()} CPUs, load average {load_before[0]:.1f} before / {load_after[0]:.1f} after; "
          f"{args.concurrency} clients x /v1/shield with {args.batch} messages, {args.duration:.0f} s each, "
          f"model threads per worker {args.model_threads}, gunicorn threads {args.threads}")
    print()
    print("| setup | requests/s | messages/s | p50 ms | p99 ms | errors |")
    print("|---|---:|---:|---:|---:|---|")
    for r in results:
        print(f"| {r['setup']} | {r['rps']:.1f} | {r['messages_per_s']:.1f} | {r['p50_ms']:.0f} | "
              f"{r['p99_ms']:.0f} | {r['errors'] or 0} |")
    if args.json:
        Path(args.json).write_text(json.dumps({"results": results, "cpus": os.cpu_count(),
                                               "loadavg_before": load_before, "loadavg_after": load_after,
                                               "args": vars(args)}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
