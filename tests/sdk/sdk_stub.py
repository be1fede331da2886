"""Helpers for the SDK tests: ``Stub``, a tiny scripted HTTP server on 127.0.0.1 (``http.server`` in a
thread) for what a real server cannot be made to do on demand: answer 429 with
``Retry-After``, 502/503/504, stall past the read timeout, drop the connection.
Everything else is tested against the real server (``live_server`` from
``tests/conftest.py``).
"""
from __future__ import annotations

import json
import struct
import threading
import time
import zlib
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, List, Optional, Tuple, Union

import kindshield


@dataclass
class Reply:
    """One scripted answer. ``stall`` sleeps before answering; ``drop``
    closes the connection without answering."""

    status: int = 200
    body: Any = None
    headers: Dict[str, str] = field(default_factory=dict)
    stall: float = 0.0
    drop: bool = False
    raw: Optional[bytes] = None  # a non-JSON body


@dataclass
class Seen:
    method: str
    path: str
    headers: Dict[str, str]
    body: Any
    at: float


Handler = Union[Reply, Callable[[Seen], Reply]]


class Stub:
    """The scripted server: ``stub.script("POST", "/v1/analyze", Reply(...), ...)``
    queues answers for a route (the last one repeats); ``stub.seen`` lists
    the requests received."""

    def __init__(self) -> None:
        self.routes: Dict[Tuple[str, str], List[Handler]] = {}
        self.seen: List[Seen] = []
        self.lock = threading.Lock()
        stub = self

        class RequestHandler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    body = raw
                path = self.path.split("?", 1)[0]
                seen = Seen(self.command, self.path, dict(self.headers), body, time.monotonic())
                with stub.lock:
                    stub.seen.append(seen)
                    queue = stub.routes.get((self.command, path))
                    if not queue:
                        handler: Handler = Reply(404, {"error": {"code": "not_found", "message": "No such resource.",
                                                                 "details": None}})
                    elif len(queue) > 1:
                        handler = queue.pop(0)
                    else:
                        handler = queue[0]
                reply = handler(seen) if callable(handler) else handler
                if reply.stall:
                    time.sleep(reply.stall)
                if reply.drop:
                    self.close_connection = True
                    try:
                        self.connection.shutdown(2)
                    except OSError:
                        pass
                    return
                data = reply.raw if reply.raw is not None else (
                    b"" if reply.body is None else json.dumps(reply.body, ensure_ascii=False).encode("utf-8"))
                try:
                    self.send_response(reply.status)
                    if reply.raw is None:
                        self.send_header("Content-Type", "application/json")
                    else:
                        self.send_header("Content-Type", "text/html")
                    self.send_header("Content-Length", str(len(data)))
                    self.send_header("X-Request-Id", f"req-{len(stub.seen)}")
                    for key, value in reply.headers.items():
                        self.send_header(key, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), RequestHandler)
        self.server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def script(self, method: str, path: str, *replies: Handler) -> None:
        with self.lock:
            self.routes[(method, path)] = list(replies)

    def calls(self, method: str, path: str) -> List[Seen]:
        return [s for s in self.seen if s.method == method and s.path.split("?", 1)[0] == path]

    def client(self, **kw: Any) -> kindshield.Client:
        kw.setdefault("api_key", "ks_test")
        return kindshield.Client(self.base_url, **kw)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def analyze_reply(seen: Seen) -> Reply:
    """A fake /v1/analyze answer: score encodes each text's length, so tests
    can check order; ``"bad"`` texts are toxic."""
    texts = seen.body["texts"]
    return Reply(200, {
        "results": [
            {"toxic": "bad" in t, "score": min(1.0, len(t) / 1000), "severity": "high" if "bad" in t else "none",
             "labels": {name: 0.9 if "bad" in t else 0.01 for name in kindshield.LABELS},
             "language": "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in t) else "en",
             "spans": [{"start": t.index("bad"), "end": t.index("bad") + 3, "score": 0.9}] if "bad" in t else []}
            for t in texts
        ],
        "model": {"name": "stub-model", "version": "0.0.1"},
    })


def error_reply(status: int, code: str, message: str = "Nope.", details: Any = None,
                headers: Optional[Dict[str, str]] = None) -> Reply:
    """A Kindshield-style JSON error."""
    return Reply(status, {"error": {"code": code, "message": message, "details": details}}, headers or {})


def tiny_png(width: int = 2, height: int = 2) -> bytes:
    """A valid PNG (grey pixels), made without any imaging library."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
