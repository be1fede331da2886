"""`kindshield-server serve` runs on waitress (a production WSGI server), with threads from config."""
from __future__ import annotations

import concurrent.futures

import requests


def test_serve_answers_from_waitress(live_server):
    r = requests.get(live_server.url("/healthz"), timeout=30)
    assert r.status_code == 200
    assert r.headers.get("Server") == "kindshield"   # waitress's ident; werkzeug would say Werkzeug/x.y
    assert "waitress, 8 threads" in live_server.log_text()


def test_server_threads_from_config(server_factory):
    srv = server_factory(env={"KINDSHIELD_SERVER_THREADS": "3"})
    assert "waitress, 3 threads" in srv.log_text()
    # more concurrent clients than threads: all are answered (queued, not refused)
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        codes = list(pool.map(lambda _: srv.post("/v1/analyze", {"texts": ["hello"]}).status_code, range(16)))
    assert codes == [200] * 16
