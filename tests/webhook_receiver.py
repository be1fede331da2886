"""A real, tiny HTTP server on 127.0.0.1 that receives Kindshield webhooks in tests.

It records every request (headers and the raw body), answers 200, or 500 for the next
``fail_next`` requests, and verifies nothing itself: tests check the signature.
"""
from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable


@dataclasses.dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    answered: int

    @property
    def json(self) -> dict:
        return json.loads(self.body)

    def signature_valid(self, secret: str, now: float | None = None, tolerance: int = 300,
                        header: str = "X-Kindshield-Signature") -> bool:
        """The check the README tells receivers to make: t=<unix time>,v1=HMAC(secret, "<t>." + body)
        (``header``: X-Kindshield-Signature-Next during a secret rotation)."""
        parts = dict(p.split("=", 1) for p in self.headers.get(header, "").split(",") if "=" in p)
        try:
            t = int(parts.get("t", ""))
        except ValueError:
            return False
        if abs((time.time() if now is None else now) - t) > tolerance:
            return False
        expected = hmac.new(secret.encode(), f"{t}.".encode() + self.body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(parts.get("v1", ""), expected)


class WebhookReceiver:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.received: list[Received] = []
        self.fail_next = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with receiver.lock:
                    status = 500 if receiver.fail_next > 0 else 200
                    receiver.fail_next = max(0, receiver.fail_next - 1)
                    receiver.received.append(Received(dict(self.headers.items()), body, status))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):  # keep test output quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/kindshield"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def matching(self, predicate: Callable[[Received], bool]) -> list[Received]:
        with self.lock:
            return [r for r in self.received if predicate(r)]

    def wait_for(self, predicate: Callable[[Received], bool], count: int = 1, timeout: float = 60) -> list[Received]:
        """Wait until at least ``count`` matching requests arrived (fails after ``timeout``)."""
        deadline = time.monotonic() + timeout
        while True:
            got = self.matching(predicate)
            if len(got) >= count or time.monotonic() > deadline:
                assert len(got) >= count, f"expected {count} webhook request(s), got {len(got)}"
                return got
            time.sleep(0.1)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def for_offender(offender_id: str, event: str) -> Callable[[Received], bool]:
    def match(r: Received) -> bool:
        body = r.json
        return body.get("type") == event and body["data"]["offender"]["id"] == offender_id
    return match
