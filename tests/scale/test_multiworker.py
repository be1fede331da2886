"""Several workers share state correctly: gunicorn with 2 workers plus a separate
`kindshield-server serve` process on another port, all on one PostgreSQL database and one Redis.

Requests are spread round-robin over the two listening processes (and gunicorn spreads them over
its workers); every check is made through every process.
"""
from __future__ import annotations

import collections
import itertools
import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
import requests
from sqlalchemy import create_engine, text

from .conftest import BENIGN_CANDIDATES, H, msg, pick_hostile, rules, shield

CLIENT_THREADS = 4

pytestmark = pytest.mark.services   # real PostgreSQL + Redis (skipped without them)


def _deploy(deployment_factory, env=None):
    dep = deployment_factory(env=env)
    dep.gunicorn(2)
    dep.serve()
    dep.wait_ready()
    return dep


def _pids(dep, path_re: str) -> set[str]:
    """Worker pids that served a matching request (gunicorn access log), plus the serve process."""
    pids = set()
    for p in dep.procs:
        if p.name.startswith("gunicorn"):
            pids.update(re.findall(rf"gunicorn-access pid=<?(\d+)>? \w+ {path_re} ", p.log_text()))
        elif re.search(rf"{path_re} \d{{3}}", p.log_text()):
            pids.add(f"serve-{p.process.pid}")
    return pids


def _db_scalar(url: str, sql: str, **params):
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql), params).scalar()
    finally:
        engine.dispose()


@pytest.mark.parametrize("window_store", ["redis", "database"])
def test_pileon_spread_over_workers_raises_exactly_one_notice(deployment_factory, services, window_store):
    dep = _deploy(deployment_factory, {"KINDSHIELD_WINDOW_STORE": window_store})
    urls = [p.base_url for p in dep.procs]
    hostile = pick_hostile(urls[0], dep.create_key("probe"))
    victim = dep.create_key("victim")

    # 9 hostile comments from 6 senders, spread over the processes: just below the default rule
    # (>= 10 items from >= 5 senders within 30 minutes)
    for i in range(9):
        r = shield(urls[i % len(urls)], victim, [msg(i, hostile[i % len(hostile)], "stranger", sender=f"troll-{i % 6}")])
        assert r.status_code == 200 and r.json()["notices"] == [], r.text
    # then 8 at the same instant, each one enough to trip it, through every process and worker
    barrier = threading.Barrier(8)

    def burst(i):
        barrier.wait(timeout=60)
        return shield(urls[i % len(urls)], victim, [msg(20 + i, hostile[i % len(hostile)], "stranger",
                                                        sender=f"troll-{i % 8}")])

    with ThreadPoolExecutor(8) as pool:
        responses = list(pool.map(burst, range(8)))
    assert [r.status_code for r in responses] == [200] * 8, [r.text for r in responses if r.status_code != 200]
    raised = [n for r in responses for n in r.json()["notices"]]
    assert len(raised) == 1, f"expected exactly one notice, the concurrent batches raised {raised}"

    # the pile-on continues: still that one notice
    with ThreadPoolExecutor(CLIENT_THREADS) as pool:
        more = list(pool.map(lambda i: shield(urls[i % len(urls)], victim,
                                              [msg(100 + i, hostile[0], "stranger", sender=f"troll-{i % 8}")]),
                             range(8)))
    assert all(r.status_code == 200 and r.json()["notices"] == [] for r in more)

    for url in urls * 2:   # every process (and, through gunicorn, whichever worker answers) agrees
        r = requests.get(url + "/v1/notices", headers=H(victim), timeout=60)
        assert r.status_code == 200, r.text
        pile_ons = [n for n in r.json()["notices"] if n["type"] == "pile_on"]
        assert [n["id"] for n in pile_ons] == raised

    assert len(_pids(dep, "/v1/shield")) >= 2, "the shield requests did not reach several processes"

    # where the window lives, and that it holds no text
    user_id = _db_scalar(dep.database_url, "SELECT user_id FROM api_keys WHERE name = 'victim'")
    db_events = _db_scalar(dep.database_url, "SELECT count(*) FROM hostile_events WHERE user_id = :u", u=user_id)
    client = redis.Redis.from_url(dep.redis_url)
    key = f"{dep.redis_prefix}:pileon:{user_id}"
    if window_store == "redis":
        assert db_events == 0
        members = client.zrange(key, 0, -1)
        assert len(members) == 25
        assert 0 < client.ttl(key) <= 3600 + 300
        blob = b" ".join(members)
        assert not any(t.encode() in blob for t in hostile) and b"troll" not in blob
    else:
        assert db_events == 25
        assert not client.exists(key)


def test_per_key_rate_limit_holds_across_workers(deployment_factory):
    dep = _deploy(deployment_factory)
    urls = [p.base_url for p in dep.procs]
    key = dep.create_key("limited", rate_limit="8 per minute")
    with ThreadPoolExecutor(CLIENT_THREADS) as pool:
        rs = list(pool.map(lambda i: requests.get(urls[i % len(urls)] + "/v1/protection", headers=H(key),
                                                  timeout=60), range(24)))
    codes = collections.Counter(r.status_code for r in rs)
    assert codes == {200: 8, 429: 16}, codes
    for r in rs:
        if r.status_code == 429:
            assert int(r.headers["Retry-After"]) >= 1
            assert r.json()["error"]["code"] == "rate_limited"
    # the counters are in Redis, under this deployment's prefix
    client = redis.Redis.from_url(dep.redis_url)
    assert list(client.scan_iter(match=f"{dep.redis_prefix}:limits:*"))
    # other keys are not affected
    other = requests.get(urls[1] + "/v1/protection", headers=H(dep.api_key), timeout=60)
    assert other.status_code == 200


def test_concurrent_report_filing_keeps_every_chain_intact(deployment_factory):
    dep = _deploy(deployment_factory)
    urls = [p.base_url for p in dep.procs]
    alice, bob = dep.create_key("alice"), dep.create_key("bob")
    jobs = [(alice if i % 3 else bob, urls[i % len(urls)], i) for i in range(36)]

    def file(job):
        key, url, i = job
        return key, requests.post(url + "/v1/reports", headers=H(key), timeout=120, json={
            "text": f"report number {i}", "author": f"@someone{i}", "category": "harassment"})

    with ThreadPoolExecutor(CLIENT_THREADS * 2) as pool:
        filed = list(pool.map(file, jobs))
    assert all(r.status_code == 201 for _, r in filed), [r.text for _, r in filed if r.status_code != 201]

    for key in (alice, bob):
        acked = {r.json()["id"]: r.json() for k, r in filed if k == key}
        seqs = sorted(a["seq"] for a in acked.values())
        assert seqs == list(range(1, len(acked) + 1)), f"fork or gap in the chain: {seqs}"
        by_seq = {a["seq"]: a for a in acked.values()}
        for s in range(2, len(acked) + 1):
            assert by_seq[s]["prev_sha256"] == by_seq[s - 1]["sha256"]
        for url in urls:
            v = requests.get(url + "/v1/reports/verify", headers=H(key), timeout=60).json()
            assert v["ok"] is True and v["checked"] == len(acked) and v["first_bad"] is None, v
            listed = requests.get(url + "/v1/reports?limit=500", headers=H(key), timeout=60).json()
            ids = {x["id"] for x in (listed["reports"] if isinstance(listed, dict) else listed)}
            assert ids == set(acked)
    assert len(_pids(dep, "/v1/reports")) >= 2


def test_lockdown_expiry_is_seen_by_every_worker(deployment_factory):
    dep = _deploy(deployment_factory, {"KINDSHIELD_TEST_CLOCK": "1"})
    urls = [p.base_url for p in dep.procs]
    text_ = BENIGN_CANDIDATES[0]   # the lockdown rules apply whatever the model thinks of it
    victim = dep.create_key("victim")

    r = requests.post(urls[0] + "/v1/protection/one-click", json={"duration_hours": 24}, headers=H(victim), timeout=60)
    assert r.status_code == 201, r.text
    for url in urls * 3:
        assert requests.get(url + "/v1/protection", headers=H(victim), timeout=60).json()["lockdown_active"] is True
        d = shield(url, victim, [msg(0, text_, "stranger", "dm")]).json()
        assert d["lockdown_active"] is True and d["decisions"][0]["action"] in ("fold", "block")
        assert rules(d["decisions"][0]) & {"lockdown_stranger", "lockdown_hostile"}

    # move the instance's clock (stored in the database) past the end, through the other process
    r = requests.put(urls[1] + "/v1/testing/clock", json={"advance_seconds": 25 * 3600},
                     headers=H(dep.admin_key), timeout=60)
    assert r.status_code == 200, r.text

    def probe(url):
        p = requests.get(url + "/v1/protection", headers=H(victim), timeout=60).json()
        s = shield(url, victim, [msg(1, text_, "stranger", "dm")]).json()
        n = requests.get(url + "/v1/notices", headers=H(victim), timeout=60).json()["notices"]
        lockdown_rules = {r for r in rules(s["decisions"][0]) if r.startswith("lockdown")}
        return p["lockdown_active"], s["lockdown_active"], lockdown_rules, n

    with ThreadPoolExecutor(CLIENT_THREADS) as pool:
        seen = list(pool.map(probe, itertools.islice(itertools.cycle(urls), 8)))
    assert all(s[:3] == (False, False, set()) for s in seen), [s[:3] for s in seen]
    recaps = {n["id"] for s in seen for n in s[3] if n["type"] == "lockdown_recap"}
    assert len(recaps) == 1, f"expected one recap notice, got {recaps}"
