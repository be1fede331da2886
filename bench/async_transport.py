"""httpx or aiohttp for the AsyncClient: measured, side by side in one run, against a real
local Kindshield server (real model, SQLite), issue 33. Figures: bench/ASYNC_TRANSPORT.md.

    python bench/async_transport.py                          # 3 rounds, 300 calls, 32 in flight
    python bench/async_transport.py --calls 600 --concurrency 64 --rounds 5 --json runs/async.json

Three clients make the same requests (same bytes, same headers: the SDK's UTF-8 JSON and
request headers from ``kindshield._core``), ``--concurrency`` in flight on one event loop:

* ``kindshield.AsyncClient`` as shipped (on aiohttp since this measurement; it was on httpx);
* bare ``httpx.AsyncClient`` (pool sized to the concurrency): the transport the AsyncClient had
  first, the baseline of the comparison;
* bare ``aiohttp.ClientSession`` (``TCPConnector(limit=concurrency)``): the alternative.

The bare rows show the transports alone; the SDK row what the SDK adds on top (retries,
limits headers, parsing into dataclasses).

Two workloads: ``POST /v1/analyze`` with one short text (what a platform sends most; the
server's model time dominates) and ``GET /v1/limits`` (no model: the transports' own cost
shows). Each round runs every client once, in a rotated order, so drift of the machine's load
hits all of them alike; the table gives the median over rounds of calls per second, client CPU
per call (``time.process_time`` of this process, which runs only the clients: the server is
another process) and the median and p99 latency.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Awaitable, Callable, Dict, List

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiohttp  # noqa: E402
import httpx  # noqa: E402
from _common import percentile, start_bench_server  # noqa: E402

import kindshield  # noqa: E402
from kindshield import _core  # noqa: E402

TEXTS = ["have a nice day", "you are an idiot", "谢谢你的分享", "你真是个废物"]


async def _timed(n: int, concurrency: int, one: Callable[[int], Awaitable[None]]) -> Dict[str, float]:
    gate = asyncio.Semaphore(concurrency)
    latencies: List[float] = []

    async def call(i: int) -> None:
        async with gate:
            t = time.perf_counter()
            await one(i)
            latencies.append(time.perf_counter() - t)

    cpu, wall = time.process_time(), time.perf_counter()
    await asyncio.gather(*(call(i) for i in range(n)))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {"calls_per_s": n / wall, "cpu_ms_per_call": cpu * 1000 / n,
            "p50_ms": percentile(latencies, 50) * 1000, "p99_ms": percentile(latencies, 99) * 1000}


def _request(workload: str, i: int, key: str):
    if workload == "analyze":
        body = _core.encode_json({"texts": [TEXTS[i % len(TEXTS)]], "lang": "auto", "explain": False})
        return "POST", "/v1/analyze", body, _core.request_headers({"Accept": "application/json"}, key, True, True, None)
    return "GET", "/v1/limits", None, _core.request_headers({"Accept": "application/json"}, key, True, False, None)


async def run_sdk(url: str, key: str, workload: str, n: int, concurrency: int) -> Dict[str, float]:
    async with kindshield.AsyncClient(url, key, max_retries=0) as client:
        async def one(i: int) -> None:
            if workload == "analyze":
                await client.analyze(TEXTS[i % len(TEXTS)])
            else:
                await client._drive(_limits_flow())
        await one(0)                                  # connect once before timing, like the others
        return await _timed(n, concurrency, one)


def _limits_flow():
    return (yield _core.Call("GET", "/v1/limits"))


async def run_httpx(url: str, key: str, workload: str, n: int, concurrency: int) -> Dict[str, float]:
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=60) as http:
        async def one(i: int) -> None:
            method, path, body, headers = _request(workload, i, key)
            response = await http.request(method, url + path, content=body, headers=headers)
            assert response.status_code == 200, response.status_code
            json.loads(response.content)
        await one(0)
        return await _timed(n, concurrency, one)


async def run_aiohttp(url: str, key: str, workload: str, n: int, concurrency: int) -> Dict[str, float]:
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=60)) as http:
        async def one(i: int) -> None:
            method, path, body, headers = _request(workload, i, key)
            async with http.request(method, url + path, data=body, headers=headers) as response:
                assert response.status == 200, response.status
                json.loads(await response.read())
        await one(0)
        return await _timed(n, concurrency, one)


CLIENTS = {
    "httpx.AsyncClient (bare, baseline)": run_httpx,
    "aiohttp.ClientSession (bare)": run_aiohttp,
    "kindshield.AsyncClient (aiohttp, shipped)": run_sdk,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=300, help="calls per client, workload and round")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2, help="the server's model threads")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args()

    proc, url, (key,), tmp = start_bench_server(["bench"], args.threads,
                                                {"KINDSHIELD_SERVER_THREADS": str(max(8, args.concurrency))},
                                                prefix="kindshield-async-bench-")
    results: Dict[str, Dict[str, List[Dict[str, float]]]] = {}
    try:
        for workload in ("analyze", "limits"):
            names = list(CLIENTS)
            for r in range(args.rounds):
                order = names[r % len(names):] + names[:r % len(names)]
                for name in order:
                    figures = asyncio.run(CLIENTS[name](url, key, workload, args.calls, args.concurrency))
                    results.setdefault(workload, {}).setdefault(name, []).append(figures)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        tmp.cleanup()

    print(f"python {sys.version.split()[0]}, httpx {httpx.__version__}, aiohttp {aiohttp.__version__}, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
    print(f"{args.calls} calls per client and round, {args.concurrency} in flight, {args.rounds} rounds "
          f"(median over rounds)")
    summary: Dict[str, Dict[str, Dict[str, float]]] = {}
    for workload, by_client in results.items():
        print(f"\n{'POST /v1/analyze (1 short text)' if workload == 'analyze' else 'GET /v1/limits (no model)'}")
        print(f"  {'client':<42} {'calls/s':>8} {'CPU ms/call':>12} {'p50 ms':>8} {'p99 ms':>8}")
        base = None
        for name, rounds in by_client.items():
            med = {k: statistics.median(f[k] for f in rounds) for k in rounds[0]}
            summary.setdefault(workload, {})[name] = med
            base = base or med["calls_per_s"]
            print(f"  {name:<42} {med['calls_per_s']:8.1f} {med['cpu_ms_per_call']:12.3f} "
                  f"{med['p50_ms']:8.1f} {med['p99_ms']:8.1f}   x{med['calls_per_s'] / base:4.2f}")
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps({"args": vars(args), "median": summary, "rounds": results}, indent=2))


if __name__ == "__main__":
    main()
