"""A report whose first answer is lost is filed once: the extension retries with the same
Idempotency-Key and the server answers the retry with the report the first try filed.

Between the extension and the real server sits a forwarding proxy that passes the first
``POST /v1/reports`` to the server (which commits it) and then answers the extension 503, as a
server would whose database connection broke after the commit. Everything else passes through.
"""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host", "content-encoding"}


class LossyProxy:
    """Forwards to ``upstream``; the first POST /v1/reports is forwarded and its answer replaced by 503."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.errors: list[str] = []
        self.report_posts: list[dict] = []     # per POST /v1/reports: its key and what the server answered
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _forward(self):
                try:
                    self._forward_inner()
                except Exception as exc:
                    proxy.errors.append(repr(exc))
                    raise

            def _forward_inner(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
                r = requests.request(self.command, proxy.upstream + self.path, data=body, headers=headers,
                                     timeout=60, allow_redirects=False)
                status, content, out_headers = r.status_code, r.content, dict(r.headers)
                if self.command == "POST" and self.path.startswith("/v1/reports"):
                    proxy.report_posts.append({"key": self.headers.get("Idempotency-Key"), "status": r.status_code,
                                               "replayed": r.headers.get("Idempotent-Replayed")})
                    if len(proxy.report_posts) == 1:   # committed upstream; the answer is "lost"
                        status, out_headers = 503, {"Retry-After": "1", "Content-Type": "application/json"}
                        content = json.dumps({"error": {"code": "database_unavailable",
                                                        "message": "answer lost"}}).encode()
                self.send_response(status)
                for k, v in out_headers.items():
                    if k.lower() not in HOP_BY_HOP:
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _forward

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def test_a_report_whose_answer_was_lost_is_retried_and_filed_once(launch_ext, ks_server, fresh_key):
    proxy = LossyProxy(ks_server.base_url)
    try:
        # the proxy's origin is granted like a server the person set up in the options
        ext = launch_ext(ks_server, settings={"apiKey": fresh_key, "serverUrl": proxy.base_url},
                         extra_hosts=(proxy.base_url + "/*",))
        page = ext.open("x.html")
        page.bring_to_front()
        record = ext.eval("""async (base) => {
            const [tab] = await chrome.tabs.query({ url: base + '/x.html' });
            return self.kindshield.reportFromContextMenu({ menuItemId: 'ks-report-harassment', pageUrl: tab.url,
                                                           frameId: 0, selectionText: 'nobody wants you here' }, tab);
        }""", ext.pages_url)
    finally:
        proxy.close()

    assert record["ok"], (record, proxy.errors, proxy.report_posts)
    posts = proxy.report_posts
    assert len(posts) == 2, posts
    assert posts[0]["key"] and posts[0]["key"] == posts[1]["key"], "every try carries the same key"
    assert [p["status"] for p in posts] == [201, 201] and posts[1]["replayed"] == "true", posts

    headers = ks_server.headers(fresh_key)
    listed = requests.get(ks_server.url("/v1/reports"), headers=headers, timeout=30).json()
    assert [r["id"] for r in listed["reports"]] == [record["id"]], "filed once"
    assert listed["reports"][0]["text"] == "nobody wants you here"
    verify = requests.get(ks_server.url("/v1/reports/verify"), headers=headers, timeout=30).json()
    assert verify["ok"] is True and verify["checked"] == 1
