"""A nudge, a fold or a block only for hostility (the toxic decision), with the real model
and a real server: swearing at no one and a polite disagreement are left alone by default,
folded (never blocked) once the person opts in to hiding swearing; hostile texts are still
nudged, folded or blocked, and the nudge names the kind."""
from __future__ import annotations

import pytest
import requests

# Each scores a sub-label over its threshold (obscene; identity_attack for the disagreement)
# with the shipped model, but is not hostile: the toxic score is far below its threshold.
NOT_HOSTILE = [
    "I respectfully disagree with your point.",
    "Fuck, I missed the bus again.",
    "This weather is shit.",
    "妈的，又错过公交了。",
    "我靠，这也太好吃了吧。",
]
# obscene 1.00 for both: far from its threshold on every CPU ("This weather is shit." scores
# obscene 0.77 against 0.69, too close to pin the opt-in fold on it)
SWEARING = ["Fuck, I missed the bus again.", "妈的，又错过公交了。"]
HOSTILE = [
    ("you are a stupid worthless idiot and everyone hates you", "insult"),
    ("I know where you live and I will hurt you", "threat"),
    ("你就是个废物，滚出去", "insult"),
]


def H(key):
    return {"Authorization": f"Bearer {key}"}


def shield(server, key, texts, kind="dm", relation="stranger"):
    messages = [{"id": f"m{i}", "kind": kind, "text": t, "sender": {"id": f"s{i}", "relation": relation},
                 "sent_at": "2026-12-01T08:00:00Z"} for i, t in enumerate(texts)]
    r = requests.post(server.url("/v1/shield"), json={"messages": messages}, headers=H(key), timeout=120)
    assert r.status_code == 200, r.text
    return r.json()["decisions"]


def set_protection(server, key, **changes):
    r = requests.put(server.url("/v1/protection"), json=changes, headers=H(key), timeout=60)
    assert r.status_code == 200, r.text
    return r.json()


def test_analyze_says_which_field_decides(fserver, new_user):
    key = new_user("analyst")
    texts = NOT_HOSTILE + [t for t, _ in HOSTILE]
    r = requests.post(fserver.url("/v1/analyze"), json={"texts": texts}, headers=H(key), timeout=120)
    assert r.status_code == 200, r.text
    results = r.json()["results"]
    for text, res in zip(NOT_HOSTILE, results):
        assert res["toxic"] is False and res["kinds"] == [], (text, res)
    by_text = dict(zip(NOT_HOSTILE, results))
    for text in SWEARING:
        assert by_text[text]["swearing"] is True, (text, by_text[text])
    assert results[0]["swearing"] is False   # a disagreement is not swearing either
    for (text, kind), res in zip(HOSTILE, results[len(NOT_HOSTILE):]):
        assert res["toxic"] is True and res["swearing"] is False and "toxic" in res["kinds"], (text, res)
        assert kind in res["kinds"], (text, res)
    spec = requests.get(fserver.url("/openapi.json"), timeout=60).json()
    result_schema = next(v for k, v in spec["components"]["schemas"].items() if k.startswith("Result"))
    assert "decides" in result_schema["properties"]["toxic"]["description"]


def test_no_nudge_for_swearing_or_disagreement_and_the_nudge_names_the_kind(fserver, new_user):
    key = new_user("writer-hostility")
    for text in NOT_HOSTILE:
        r = requests.post(fserver.url("/v1/precheck"), json={"text": text}, headers=H(key), timeout=120)
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["nudge"] is False and body["message"] is None and body["kind"] is None, (text, body)
        assert body["flagged"] == [], (text, body)
    for text, kind in HOSTILE:
        body = requests.post(fserver.url("/v1/precheck"), json={"text": text}, headers=H(key), timeout=120).json()
        assert body["nudge"] is True and body["kind"] == kind and kind in body["flagged"], (text, body)
    threat = requests.post(fserver.url("/v1/precheck"), json={"text": HOSTILE[1][0]}, headers=H(key),
                           timeout=120).json()
    assert "threat" in threat["message"]


@pytest.mark.parametrize("kind", ["dm", "comment"])
def test_strangers_swearing_is_delivered_by_default_and_folded_when_hidden(fserver, new_user, kind):
    key = new_user(f"reader-swearing-{kind}")
    assert set_protection(fserver, key)["settings"]["hide_swearing"] is False
    decisions = shield(fserver, key, NOT_HOSTILE, kind=kind)
    assert [d["action"] for d in decisions] == ["deliver"] * len(NOT_HOSTILE), decisions

    assert set_protection(fserver, key, hide_swearing=True)["settings"]["hide_swearing"] is True
    decisions = shield(fserver, key, NOT_HOSTILE, kind=kind)
    by_text = dict(zip(NOT_HOSTILE, decisions))
    for text in SWEARING:
        d = by_text[text]
        assert d["action"] == "fold" and [r["rule"] for r in d["reasons"]] == ["swearing"], (text, d)
    assert by_text["I respectfully disagree with your point."]["action"] == "deliver"

    hostile = shield(fserver, key, [t for t, _ in HOSTILE], kind=kind)
    assert all(d["action"] in ("fold", "block") for d in hostile), hostile
    assert any(r["rule"] == "hostile_block" and "threat" in r["labels"] for r in hostile[1]["reasons"]), hostile[1]


def test_hide_swearing_rejects_non_booleans(fserver, new_user):
    key = new_user("reader-bad-setting")
    r = requests.put(fserver.url("/v1/protection"), json={"hide_swearing": "yes"}, headers=H(key), timeout=60)
    assert r.status_code == 400 and r.json()["error"]["code"]
