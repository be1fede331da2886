"""PostgreSQL or Redis unreachable for a while: 503 + Retry-After on the affected calls, analysis
keeps working, recovery without restarting Kindshield, nothing acknowledged is lost.

The servers reach PostgreSQL / Redis through a :class:`TcpProxy` that the test stops (cutting
every open connection, like a restart) and starts again; the real services are never touched.
"""
from __future__ import annotations

import threading
import time
import uuid

import pytest
import redis
import requests

from .conftest import H, msg, pick_hostile, proxied, shield

RECOVERY_TIMEOUT = 30.0

pytestmark = pytest.mark.services   # real PostgreSQL + Redis (skipped without them)


@pytest.fixture
def pg_proxy(pg_url):
    with proxied(pg_url, 5432) as (proxy, url):
        yield proxy, url


@pytest.fixture
def redis_proxy(services):
    with proxied(services.redis_url, 6379) as (proxy, url):
        yield proxy, url


def _analyze(url, key):
    return requests.post(url + "/v1/analyze", json={"texts": ["have a nice day"]}, headers=H(key), timeout=60)


def _assert_503(r, code=None):
    assert r.status_code == 503, (r.status_code, r.text)
    assert int(r.headers["Retry-After"]) >= 1
    body = r.json()["error"]
    if code:
        assert body["code"] == code, body


def _wait_until(fn, what: str, timeout: float = RECOVERY_TIMEOUT):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = fn()
        if last:
            return last
        time.sleep(0.5)
    raise AssertionError(f"{what} did not happen within {timeout}s (last: {last!r})")


class ReportWriter(threading.Thread):
    """Files reports in a loop through several servers, remembering every acknowledged one.

    Each filing has its own Idempotency-Key and is retried with it on 503 until acknowledged
    (the next try goes to the next server): a commit whose answer the outage cut off is found
    by the retry, never filed twice and never left unacknowledged."""

    def __init__(self, urls, key):
        super().__init__(daemon=True)
        self.urls, self.key = urls, key
        self.acked: dict[str, dict] = {}
        self.statuses: list[int] = []
        self.replayed = 0
        self.bad: list[tuple[int, str]] = []
        self.stop = threading.Event()

    def run(self):
        i = n = 0
        while not self.stop.is_set():       # a filing once begun is retried until acknowledged
            body = {"text": f"outage report {i}", "category": "harassment"}
            headers = {**H(self.key), "Idempotency-Key": f"outage-{i}-{uuid.uuid4()}"}
            while True:
                url = self.urls[n % len(self.urls)]
                n += 1
                try:
                    r = requests.post(url + "/v1/reports", headers=headers, timeout=30, json=body)
                except requests.RequestException as exc:   # never expected: the server stays up
                    self.bad.append((0, type(exc).__name__))
                    return
                self.statuses.append(r.status_code)
                if r.status_code == 201:
                    self.acked[r.json()["id"]] = r.json()
                    self.replayed += r.headers.get("Idempotent-Replayed") == "true"
                    break
                if r.status_code != 503 or "Retry-After" not in r.headers:
                    self.bad.append((r.status_code, r.text[:200]))
                    return
                time.sleep(0.1)
            i += 1
            time.sleep(0.1)


def test_postgresql_outage_503_then_recovery_without_losing_acknowledged_writes(pg_proxy, deployment_factory):
    proxy, proxied_url = pg_proxy
    dep = deployment_factory(database_url=proxied_url, env={"KINDSHIELD_DB_BUSY_TIMEOUT": "2"})
    gun = dep.gunicorn(2)
    serve = dep.serve()
    dep.wait_ready()
    urls = [gun.base_url, serve.base_url]
    pids_before = [p.process.pid for p in dep.procs]
    key = dep.api_key

    assert _analyze(serve.base_url, key).status_code == 200     # the serve process has seen this key
    writer = ReportWriter(urls, key)
    writer.start()
    _wait_until(lambda: len(writer.acked) >= 3, "reports before the outage")

    proxy.stop()                      # PostgreSQL "restarts": every connection cut, none accepted
    try:
        time.sleep(1.0)
        _assert_503(requests.post(serve.url("/v1/reports"), json={"text": "during", "category": "other"},
                                  headers=H(key), timeout=30), "database_unavailable")
        for url in urls:
            _assert_503(requests.get(url + "/v1/notices", headers=H(key), timeout=30))
            _assert_503(requests.get(url + "/readyz", timeout=30), "not_ready")
            assert requests.get(url + "/healthz", timeout=30).status_code == 200
        # analysis needs no stored state: it keeps working (keys verified before stay trusted)
        r = _analyze(serve.base_url, key)
        assert r.status_code == 200, r.text
        assert r.json()["results"][0]["score"] >= 0
        r = requests.post(gun.url("/v1/analyze"), json={"texts": ["hello"]}, headers=H(key), timeout=60)
        assert r.status_code in (200, 503), r.text   # a gunicorn worker that never saw the key: 503
        if r.status_code == 503:
            _assert_503(r, "database_unavailable")
        time.sleep(2.0)
    finally:
        proxy.start()                 # back, on the same address

    for url in urls:
        _wait_until(lambda url=url: requests.get(url + "/readyz", timeout=30).status_code == 200, f"{url} ready again")
    n_acked = len(writer.acked)
    _wait_until(lambda: len(writer.acked) >= n_acked + 4, "reports after the recovery")
    writer.stop.set()
    writer.join(timeout=60)

    assert writer.bad == [], writer.bad                 # only 201 or 503 + Retry-After, never 500
    assert 503 in writer.statuses, "the writer never saw the outage"
    assert [p.process.poll() for p in dep.procs] == [None, None], "a server died"
    assert [p.process.pid for p in dep.procs] == pids_before

    # every acknowledged report is there, once, in an intact chain
    for url in urls:
        listed = requests.get(url + "/v1/reports?limit=500", headers=H(key), timeout=60).json()["reports"]
        assert set(writer.acked) <= {x["id"] for x in listed}
        v = requests.get(url + "/v1/reports/verify", headers=H(key), timeout=60).json()
        assert v["ok"] is True and v["first_bad"] is None, v
        # the report counter was written in the same transaction as each record
        stats = requests.get(url + "/v1/stats?days=1", headers=H(key), timeout=60).json()
        # ... and every stored report was acknowledged: a retry never filed one twice
        assert stats["totals"]["reports"] == v["checked"] == len(writer.acked), (stats["totals"], v)
    seqs = sorted(a["seq"] for a in writer.acked.values())
    assert seqs == list(range(1, len(seqs) + 1)), seqs


def test_redis_outage_503_for_windows_analysis_and_limits_keep_working_then_recovery(redis_proxy, deployment_factory):
    proxy, proxied_url = redis_proxy
    dep = deployment_factory(redis_url=proxied_url)
    gun = dep.gunicorn(2)
    serve = dep.serve()
    dep.wait_ready()
    urls = [gun.base_url, serve.base_url]
    hostile = pick_hostile(serve.base_url, dep.create_key("probe"))
    victim = dep.create_key("victim")
    limited = dep.create_key("limited", rate_limit="5 per minute")

    # 6 hostile items from 6 senders before the outage: below the pile-on threshold (10 items)
    for i in range(6):
        r = shield(urls[i % 2], victim, [msg(i, hostile[i % len(hostile)], "stranger", sender=f"troll-{i}")])
        assert r.status_code == 200 and r.json()["notices"] == [], r.text

    proxy.stop()
    try:
        time.sleep(0.5)
        for url in urls:
            # the pile-on window lives in Redis: 503 + Retry-After, nothing stored
            _assert_503(shield(url, victim, [msg(50, hostile[0], "stranger", sender="troll-x")]), "redis_unavailable")
            # analysis and database-only calls keep working (limits fall back to per-worker memory)
            assert _analyze(url, victim).status_code == 200
            assert requests.get(url + "/v1/notices", headers=H(victim), timeout=30).status_code == 200
            ready = requests.get(url + "/readyz", timeout=30)
            assert ready.status_code == 200 and ready.json()["redis"] == "unreachable", ready.text
        # limits still hold while Redis is down (in each process's memory): one process, one key
        codes = [requests.get(serve.url("/v1/protection"), headers=H(limited), timeout=30).status_code
                 for _ in range(8)]
        assert codes == [200] * 5 + [429] * 3, codes
        assert "falling back to in-memory storage" in serve.log_text()
    finally:
        proxy.start()

    # recovery without a restart: the window is still there (Redis itself never went away)
    def shield_ok():
        r = shield(serve.base_url, victim, [msg(60, hostile[0], "stranger", sender="troll-6")])
        return r if r.status_code == 200 else None

    first = _wait_until(shield_ok, "shielding after Redis came back")
    raised = list(first.json()["notices"])
    for i in range(7, 12):
        r = shield(urls[i % 2], victim, [msg(i, hostile[i % len(hostile)], "stranger", sender=f"troll-{i % 8}")])
        assert r.status_code == 200, r.text
        raised += r.json()["notices"]
    assert len(raised) == 1, f"the window before and after the outage should add up to one pile-on: {raised}"

    # the shared limiter is back on Redis (each worker probes it every 2 s while it serves requests)
    def limiter_recovered():
        for url in urls:
            requests.get(url + "/v1/protection", headers=H(victim), timeout=30)
        return all(p.log_text().count("Rate limit storage recovered")
                   >= p.log_text().count("falling back to in-memory storage") for p in dep.procs)

    _wait_until(limiter_recovered, "every worker's switch back to the Redis limiter")
    fresh = dep.create_key("fresh", rate_limit="3 per minute")
    codes = [requests.get(urls[i % 2] + "/v1/protection", headers=H(fresh), timeout=30).status_code for i in range(9)]
    assert sorted(codes) == [200] * 3 + [429] * 6, codes       # one shared limit again
    client = redis.Redis.from_url(proxied_url)
    assert list(client.scan_iter(match=f"{dep.redis_prefix}:limits:*"))
    assert [p.process.poll() for p in dep.procs] == [None, None]
