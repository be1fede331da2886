"""Fairness between keys: key B's one-text latency while key A sends maximal requests, with the
old scheduling (one model call per request, first come first served) and the new one (requests
cut into slices of at most KINDSHIELD_MODEL_CHUNK_CHARS characters, keys taking turns), measured
in the same run on the same machine.

    python bench/fairness.py                  # ~2 minutes: A sends 6 x 20,000-char texts with explain
    python bench/fairness.py --texts 50 --duration 120   # the issue's 50-text request (slow on 2 cores)

"before" emulates the old scheduler with the new code's settings (MODEL_CHUNK_CHARS and
MODEL_MAX_BATCH so large that a request is one model call); "after" is the defaults.
Prints B's p50 / p99 / max latency and A's texts/s for both.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import percentile, start_bench_server  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
LONG = ("you are such a worthless idiot and everyone here knows it. " * 400)[:20_000]
LIGHT = "have a lovely weekend"
BEFORE = {"KINDSHIELD_MODEL_CHUNK_CHARS": "1000000000", "KINDSHIELD_MODEL_MAX_BATCH": "256",
          "KINDSHIELD_MAX_QUEUED_CHARS_PER_KEY": "0", "KINDSHIELD_TEXT_BUDGET": ""}
AFTER: dict[str, str] = {}


def start(extra: dict[str, str], threads: int):
    return start_bench_server(["key-a", "key-b"], threads, extra, prefix="kindshield-fair-")


def measure(url: str, key_a: str, key_b: str, texts: int, duration: float) -> dict:
    stop = threading.Event()
    a_texts = 0
    a_codes: dict[int, int] = {}

    def heavy():
        nonlocal a_texts
        with requests.Session() as s:
            s.headers["Authorization"] = f"Bearer {key_a}"
            while not stop.is_set():
                try:
                    r = s.post(url + "/v1/analyze", json={"texts": [LONG] * texts, "explain": True}, timeout=900)
                except requests.RequestException:
                    return   # the server was stopped at the end of the run
                a_codes[r.status_code] = a_codes.get(r.status_code, 0) + 1
                if r.status_code == 200:
                    a_texts += texts
                else:
                    time.sleep(float(r.headers.get("Retry-After", "1")))

    t = threading.Thread(target=heavy, daemon=True)
    t0 = time.perf_counter()
    t.start()
    time.sleep(1.0)   # A's first request is in the model
    lat: list[float] = []
    with requests.Session() as s:
        s.headers["Authorization"] = f"Bearer {key_b}"
        while time.perf_counter() - t0 < duration:
            t1 = time.perf_counter()
            r = s.post(url + "/v1/analyze", json={"texts": [LIGHT]}, timeout=900)
            if r.status_code == 200:
                lat.append(time.perf_counter() - t1)
            time.sleep(0.2)
    stop.set()
    elapsed = time.perf_counter() - t0
    return {"b_n": len(lat), "b_p50": percentile(lat, 50), "b_p99": percentile(lat, 99),
            "b_max": max(lat) if lat else float("nan"), "a_texts_per_s": a_texts / elapsed, "a_codes": a_codes}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--texts", type=int, default=6, help="texts of 20,000 characters in each of A's requests")
    ap.add_argument("--duration", type=float, default=45.0, help="seconds measured per scheduler")
    ap.add_argument("--threads", type=int, default=2, help="KINDSHIELD_MODEL_THREADS")
    args = ap.parse_args()
    rows = []
    for name, extra in (("before (one call per request, FIFO)", BEFORE), ("after (slices, keys take turns)", AFTER)):
        proc, url, (key_a, key_b), tmp = start(extra, args.threads)
        try:
            rows.append((name, measure(url, key_a, key_b, args.texts, args.duration)))
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
            tmp.cleanup()
    print(f"key A: {args.texts} x 20,000 chars with explain, back to back; key B: one short text every 0.2 s "
          f"after its previous answer; {args.duration:.0f} s each; {os.cpu_count()} CPUs")
    print(f"{'scheduler':40} {'B n':>5} {'B p50 s':>8} {'B p99 s':>8} {'B max s':>8} {'A texts/s':>10}  A statuses")
    for name, r in rows:
        print(f"{name:40} {r['b_n']:>5} {r['b_p50']:>8.2f} {r['b_p99']:>8.2f} {r['b_max']:>8.2f} "
              f"{r['a_texts_per_s']:>10.2f}  {r['a_codes']}")


if __name__ == "__main__":
    main()
