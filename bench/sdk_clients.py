"""The SDK's transports and batching, measured side by side in one run.

    python bench/sdk_clients.py                       # 400 calls, 50 ms server latency, 32 in flight
    python bench/sdk_clients.py --calls 1000 --latency 0.02 --concurrency 64

1. Calls per second against a local HTTP server that answers after ``--latency`` seconds (the
   server's work is simulated so that only the client side is measured): the sync ``Client``
   one call at a time (the baseline), the sync ``Client`` shared by a thread pool, and the
   ``AsyncClient`` with ``asyncio.gather`` (both ``--concurrency`` in flight).
2. Request bodies for the batch of 256 Chinese comments of 700 characters: ``requests``' default
   JSON (``\\uXXXX`` escapes) against the SDK's UTF-8 JSON, next to the server's 1 MiB limit, and
   how many requests the SDK plans for it and for 9 texts of 20,000 Chinese characters.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import kindshield  # noqa: E402
from kindshield import _core  # noqa: E402

BODY = json.dumps({"days": [], "totals": {"analysed": 1}}).encode()


def serve(latency: float) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # quiet
            pass

        def do_GET(self):  # noqa: N802 - http.server's name
            time.sleep(latency)
            # one write for head and body: separate small writes meet delayed ACKs (+40 ms a call)
            head = (f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    f"Content-Length: {len(BODY)}\r\n\r\n").encode()
            self.wfile.write(head + BODY)

    class Server(ThreadingHTTPServer):
        request_queue_size = 512   # the default 5 would make concurrent connects wait for SYN retries

    server = Server(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _serve_forever(latency: float, port_out) -> None:
    server = serve(latency)
    port_out.put(server.server_address[1])
    threading.Event().wait()


def serve_in_a_process(latency: float):
    """The server in a process of its own, so that it does not share the clients' GIL."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    port_out = ctx.Queue()
    proc = ctx.Process(target=_serve_forever, args=(latency, port_out), daemon=True)
    proc.start()
    return proc, port_out.get(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=400)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()
    proc, port = serve_in_a_process(args.latency)
    url = f"http://127.0.0.1:{port}"
    results = []

    with kindshield.Client(url, "ks_bench") as client:
        n = max(20, args.calls // 20)   # the baseline is slow: fewer calls, same per-call figure
        t = time.perf_counter()
        for _ in range(n):
            client.stats(days=1)
        results.append(("sync Client, one at a time (baseline)", n, time.perf_counter() - t))

        adapter = __import__("requests").adapters.HTTPAdapter(pool_maxsize=args.concurrency)
        client._session.mount("http://", adapter)
        t = time.perf_counter()
        with ThreadPoolExecutor(args.concurrency) as pool:
            list(pool.map(lambda _: client.stats(days=1), range(args.calls)))
        results.append((f"sync Client, {args.concurrency} threads", args.calls, time.perf_counter() - t))

    async def run_async() -> float:
        async with kindshield.AsyncClient(url, "ks_bench") as aclient:
            gate = asyncio.Semaphore(args.concurrency)

            async def one() -> None:
                async with gate:
                    await aclient.stats(days=1)

            t0 = time.perf_counter()
            await asyncio.gather(*(one() for _ in range(args.calls)))
            return time.perf_counter() - t0

    results.append((f"AsyncClient, {args.concurrency} tasks", args.calls, asyncio.run(run_async())))
    proc.terminate()

    print(f"server latency {args.latency * 1000:.0f} ms (simulated)")
    base = results[0][1] / results[0][2]
    for name, calls, seconds in results:
        rate = calls / seconds
        print(f"  {name:<42} {calls:>5} calls {seconds:7.2f} s {rate:8.1f} calls/s  x{rate / base:5.1f}")

    texts = [("谢谢你的分享，祝你今天愉快，" * 60)[:700] for _ in range(256)]
    escaped = len(json.dumps({"texts": texts, "lang": "auto", "explain": False}).encode())
    utf8 = len(_core.encode_json({"texts": texts, "lang": "auto", "explain": False}))
    limits = _core.ServerLimits()
    print(f"256 Chinese comments of 700 characters: requests' default JSON {escaped:,} bytes, "
          f"SDK UTF-8 JSON {utf8:,} bytes, server limit {limits.max_body_bytes:,} bytes")
    for label, items in (("256 x 700 Chinese characters", texts),
                         ("9 x 20,000 Chinese characters", [("谢谢你的分享" * 4000)[:20000]] * 9),
                         ("600 x 700 Chinese characters", texts * 2 + texts[:88])):
        sizes = [len(_core.encode_json(x)) + 1 for x in items]
        plan = _core.plan_batches(sizes, 40, limits.max_items, limits.max_body_bytes)
        print(f"  {label}: {len(plan)} request(s) {[e - s for s, e in plan]}")


if __name__ == "__main__":
    main()
