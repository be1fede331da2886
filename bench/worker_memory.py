"""Memory and time of one worker's model: load time, RSS after load, RSS and latency for one batch
of N texts of C characters (default 16 x 2,000), and the same with 1 text as the baseline.

    python bench/worker_memory.py [--texts 16] [--chars 2000] [--threads 1]

Figures for the sizing guide in OPERATIONS.md; never asserted in tests.
"""
from __future__ import annotations

import argparse
import os
import resource
import time


def rss_mb() -> float:
    with open(f"/proc/{os.getpid()}/status") as fh:
        for line in fh:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--texts", type=int, default=16)
    p.add_argument("--chars", type=int, default=2000)
    p.add_argument("--threads", type=int, default=1)
    a = p.parse_args()
    from kindshield_server import analysis
    from kindshield_server.config import load_config

    base = rss_mb()
    t0 = time.perf_counter()
    model = analysis.load_model(load_config({"model_threads": a.threads}))
    load_s = time.perf_counter() - t0
    loaded = rss_mb()
    sentence = "you are a worthless idiot and nobody wants you here. "
    text = (sentence * (a.chars // len(sentence) + 1))[:a.chars]
    t1 = time.perf_counter()
    model.analyze([text])
    one_s = time.perf_counter() - t1
    t2 = time.perf_counter()
    model.analyze([text] * a.texts)
    batch_s = time.perf_counter() - t2
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"python+imports RSS        {base:8.0f} MB")
    print(f"model load                {load_s:8.2f} s   RSS after load {loaded:.0f} MB")
    print(f"baseline: 1 x {a.chars} chars   {one_s:8.2f} s")
    print(f"{a.texts} x {a.chars} chars          {batch_s:8.2f} s   peak RSS {peak:.0f} MB (threads={a.threads})")


if __name__ == "__main__":
    main()
