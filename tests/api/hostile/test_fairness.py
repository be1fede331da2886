"""Fairness between keys against a real server: one key sending maximal requests can no longer
stall everyone's analysis.  Timing figures are in bench/fairness.py; these tests check order
and refusals, not speeds."""
from __future__ import annotations

import threading
import time

import requests

LONG = ("you are such a worthless idiot and everyone here knows it. " * 400)[:20_000]


def test_a_light_request_does_not_wait_behind_another_keys_heavy_one(server_factory):
    server = server_factory(env={"KINDSHIELD_MAX_QUEUED_CHARS_PER_KEY": "100000"})
    heavy_key, light_key = server.create_key("heavy"), server.create_key("light")
    done: dict[str, float] = {}
    heavy_status: list[int] = []

    def heavy():
        r = requests.post(server.url("/v1/analyze"), json={"texts": [LONG] * 8, "explain": True},
                          headers=server.headers(heavy_key), timeout=600)
        heavy_status.append(r.status_code)
        done["heavy"] = time.monotonic()

    t = threading.Thread(target=heavy)
    t.start()
    time.sleep(1.5)   # the heavy request is queued and running
    # the same key may not pile more work on top (per-key queue cap) ...
    more = requests.post(server.url("/v1/analyze"), json={"texts": [LONG] * 2}, headers=server.headers(heavy_key),
                         timeout=600)
    assert more.status_code == 429 and more.json()["error"]["code"] == "analysis_queue_full", more.text
    assert int(more.headers["Retry-After"]) >= 1
    # ... and another key's one-text request is served between its slices, not after all of it
    r = requests.post(server.url("/v1/analyze"), json={"texts": ["have a nice day"]},
                      headers=server.headers(light_key), timeout=600)
    done["light"] = time.monotonic()
    assert r.status_code == 200
    t.join()
    assert heavy_status == [200]
    assert done["light"] < done["heavy"], "the light request waited for the whole heavy one"


def test_per_key_character_budget(server_factory):
    # per hour, not per minute: on a loaded machine this test outlasts a minute's window
    server = server_factory(env={"KINDSHIELD_TEXT_BUDGET": "30000 per hour"})
    a, b = server.create_key("budget-a"), server.create_key("budget-b")
    assert server.post("/v1/analyze", {"texts": [LONG[:15_000]]}, key=a).status_code == 200
    r = server.post("/v1/analyze", {"texts": [LONG[:10_000]], "explain": True}, key=a)   # 30,000 with explain
    assert r.status_code == 429 and r.json()["error"]["code"] == "text_budget_exceeded", r.text
    assert int(r.headers["Retry-After"]) >= 1
    assert server.post("/v1/analyze", {"texts": [LONG[:10_000]]}, key=a).status_code == 200   # 25,000 in all
    # the budget is per key: another key is unaffected
    assert server.post("/v1/analyze", {"texts": [LONG[:20_000]]}, key=b).status_code == 200
    # and it covers every analysing route, not only /v1/analyze
    r = requests.post(server.url("/v1/shield"), headers=server.headers(a), timeout=120, json={"messages": [
        {"id": "m", "kind": "dm", "text": LONG[:10_000], "sender": {"relation": "stranger"}}]})
    assert r.status_code == 429 and r.json()["error"]["code"] == "text_budget_exceeded", r.text
