"""Load test: concurrent clients against a real Kindshield server, next to the in-process model
throughput measured in the same run.

    python bench/server_load.py                      # starts its own server (temp SQLite), 8 clients, 20 s
    python bench/server_load.py --concurrency 16 --batch 8 --duration 30
    python bench/server_load.py --url http://127.0.0.1:8731 --key ks_...   # an already running server

Prints requests/s, texts/s, p50/p90/p99 latency and errors for the server, then the in-process
model's texts/s on the same batches, and the ratio (target: the server keeps >= 70%).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import percentile, start_bench_server  # noqa: E402

REPO = Path(__file__).resolve().parents[1]

CORPUS = [
    "Thanks for sharing, this was really helpful!",
    "You are a worthless idiot, nobody wants you here.",
    "I disagree with your point about the budget, but I see where you're coming from.",
    "Shut up and go away, loser.",
    "What time does the match start tomorrow?",
    "People like you should be banned from the internet.",
    "谢谢你的分享，真的很有帮助！",
    "你就是个废物，滚出去。",
    "明天的比赛几点开始？",
    "这种人就不配活着。",
    "Great video, subscribed!",
    "If I see you again you will regret it.",
]





def make_batches(batch: int, n: int, seed: int = 7) -> list[list[str]]:
    rng = random.Random(seed)
    return [[rng.choice(CORPUS) for _ in range(batch)] for _ in range(n)]


def start_server(args) -> tuple[subprocess.Popen, str, str, tempfile.TemporaryDirectory]:
    proc, url, (key,), tmp = start_bench_server(["bench"], args.threads,
                                                {"KINDSHIELD_MODEL_MAX_BATCH": str(args.max_batch)})
    return proc, url, key, tmp


def load_run(url: str, key: str, batches: list[list[str]], concurrency: int, duration: float) -> dict:
    latencies: list[float] = []
    errors: dict[str, int] = {}
    texts_done = 0
    lock = threading.Lock()
    stop_at = time.perf_counter() + duration

    def client(idx: int) -> None:
        nonlocal texts_done
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {key}"
        i = idx
        while time.perf_counter() < stop_at:
            batch = batches[i % len(batches)]
            i += concurrency
            t0 = time.perf_counter()
            try:
                r = session.post(url + "/v1/analyze", json={"texts": batch}, timeout=120)
                ok = r.status_code == 200
                tag = str(r.status_code)
            except requests.RequestException as exc:
                ok, tag = False, type(exc).__name__
            dt = time.perf_counter() - t0
            with lock:
                if ok:
                    latencies.append(dt)
                    texts_done += len(batch)
                else:
                    errors[tag] = errors.get(tag, 0) + 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(concurrency)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    return {"requests": len(latencies), "errors": errors, "elapsed_s": elapsed,
            "req_per_s": len(latencies) / elapsed, "texts_per_s": texts_done / elapsed,
            "p50_ms": percentile(latencies, 50) * 1000, "p90_ms": percentile(latencies, 90) * 1000,
            "p99_ms": percentile(latencies, 99) * 1000}


def in_process(batches: list[list[str]], duration: float, threads: int) -> dict:
    from kindshield_server.model import ToxicityModel, default_model_dir

    model = ToxicityModel.load(default_model_dir(), threads=threads)
    model.analyze(batches[0])  # warm-up
    done = calls = 0
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < duration:
        batch = batches[calls % len(batches)]
        model.analyze(batch)
        done += len(batch)
        calls += 1
    elapsed = time.perf_counter() - t0
    return {"calls": calls, "texts_per_s": done / elapsed, "ms_per_call": elapsed / max(calls, 1) * 1000}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", help="an already running server (default: start one)")
    ap.add_argument("--key", help="API key for --url")
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--batch", type=int, default=1, help="texts per request")
    ap.add_argument("--duration", type=float, default=20.0, help="seconds per measurement")
    ap.add_argument("--threads", type=int, default=2, help="model threads (server and in-process)")
    ap.add_argument("--max-batch", type=int, default=16,
                    help="server's KINDSHIELD_MODEL_MAX_BATCH (merge concurrent requests; 1 = off)")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args()

    batches = make_batches(args.batch, 64)
    proc = tmp = None
    if args.url:
        if not args.key:
            ap.error("--key is required with --url")
        url, key = args.url.rstrip("/"), args.key
    else:
        proc, url, key, tmp = start_server(args)
    try:
        # warm-up (first requests pay for lazy initialisation)
        for b in batches[:4]:
            requests.post(url + "/v1/analyze", json={"texts": b}, headers={"Authorization": f"Bearer {key}"},
                          timeout=120)
        server = load_run(url, key, batches, args.concurrency, args.duration)
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=30)
    # the in-process baseline runs after the server stopped, so both had the machine to themselves
    local = in_process(batches, args.duration, args.threads)
    ratio = server["texts_per_s"] / local["texts_per_s"] if local["texts_per_s"] else float("nan")
    result = {"config": {"concurrency": args.concurrency, "batch": args.batch, "duration_s": args.duration,
                         "threads": args.threads, "max_batch": args.max_batch, "cpus": os.cpu_count()},
              "server": server, "in_process": local, "server_vs_in_process": ratio}
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"config: {args.concurrency} clients, {args.batch} text(s)/request, {args.duration:.0f}s, "
              f"model threads {args.threads}, {os.cpu_count()} CPUs")
        print(f"server:     {server['req_per_s']:8.1f} req/s  {server['texts_per_s']:8.1f} texts/s  "
              f"p50 {server['p50_ms']:.1f} ms  p90 {server['p90_ms']:.1f} ms  p99 {server['p99_ms']:.1f} ms  "
              f"errors {sum(server['errors'].values())} {server['errors'] or ''}")
        print(f"in-process: {local['texts_per_s']:8.1f} texts/s  ({local['ms_per_call']:.1f} ms per call of "
              f"{args.batch})")
        print(f"server keeps {ratio * 100:.0f}% of in-process throughput (target >= 70%)")
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
