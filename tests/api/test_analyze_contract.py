"""POST /v1/analyze against the real server and model: the response contract."""
import math

import requests

LABELS = {"toxic", "insult", "threat", "identity_attack", "obscene", "targeted_person"}
BENIGN = "Thank you so much for helping me with the garden today, you are wonderful."
TOXIC = "You are a worthless idiot and everyone hates you, shut up."


def _check_result(r):
    assert set(r) == {"toxic", "kinds", "swearing", "score", "severity", "labels", "language", "spans"}
    assert isinstance(r["toxic"], bool)
    assert 0.0 <= r["score"] <= 1.0
    assert r["severity"] in ("none", "low", "medium", "high")
    assert set(r["labels"]) == LABELS
    assert all(0.0 <= v <= 1.0 and not math.isnan(v) for v in r["labels"].values())
    assert isinstance(r["language"], str) and r["language"]
    assert isinstance(r["spans"], list)


def test_analyze_contract_and_order(live_server):
    resp = live_server.post("/v1/analyze", {"texts": [BENIGN, TOXIC, BENIGN]})
    assert resp.status_code == 200, resp.text
    assert resp.headers["Content-Type"].startswith("application/json")
    assert resp.headers.get("X-Request-Id")
    body = resp.json()
    assert set(body) == {"results", "model"}
    assert set(body["model"]) == {"name", "version"} and body["model"]["name"]
    results = body["results"]
    assert len(results) == 3
    for r in results:
        _check_result(r)
    # input order: the two benign copies agree, the toxic one scores higher
    assert abs(results[0]["score"] - results[2]["score"]) < 1e-5
    assert results[1]["score"] > results[0]["score"]
    assert results[0]["language"] == "en"
    # score is the `toxic` probability
    assert abs(results[1]["score"] - results[1]["labels"]["toxic"]) < 1e-5
    # explain defaults to false: no spans
    assert results[1]["spans"] == []


def test_server_matches_the_model_in_process(live_server):
    from kindshield_server.model import ToxicityModel, default_model_dir

    texts = [TOXIC, BENIGN, "你真是个废物，滚出去", "have a nice day"]
    model = ToxicityModel.load(default_model_dir(), threads=1)
    local = model.analyze(texts, lang="auto")
    batch = live_server.post("/v1/analyze", {"texts": texts}).json()["results"]
    for mine, theirs in zip(local, batch):
        assert abs(mine.score - theirs["score"]) < 1e-4
        assert mine.severity == theirs["severity"] and mine.language == theirs["language"]
        assert all(abs(mine.labels[k] - theirs["labels"][k]) < 1e-4 for k in mine.labels)
    # batch vs one at a time: identical (each window is scored alone, so batch mates cannot matter)
    for text, expected in zip(texts, batch):
        single = live_server.post("/v1/analyze", {"texts": [text]}).json()["results"][0]
        assert single == expected


ABUSIVE = {"you are a stupid worthless idiot": ("stupid", "worthless", "idiot"),
           "你就是个傻逼，滚": ("傻逼", "滚")}


def _covers(text, span, words):
    """Whether the span overlaps an occurrence of one of the words."""
    import re

    return any(m.start() < span["end"] and span["start"] < m.end()
               for w in words for m in re.finditer(re.escape(w), text))


def test_explain_spans_are_inside_the_text_and_cover_an_abusive_word(live_server):
    texts = [TOXIC, *ABUSIVE]
    resp = live_server.post("/v1/analyze", {"texts": texts, "explain": True})
    assert resp.status_code == 200, resp.text
    results = resp.json()["results"]
    for text, r in zip(texts, results):
        assert r["toxic"] is True, (text, r)
        assert r["spans"], f"a clearly abusive text has no spans: {text!r}"
        for span in r["spans"]:
            assert set(span) == {"start", "end", "score"}
            assert 0 <= span["start"] < span["end"] <= len(text)
    for text, r in zip(texts[1:], results[1:]):
        words = ABUSIVE[text]
        assert any(_covers(text, sp, words) for sp in r["spans"]), (text, r["spans"])


def test_chinese_and_language_hint(live_server):
    resp = live_server.post("/v1/analyze", {"texts": ["你真是个废物，滚出去", "今天天气很好，我们去公园吧"], "lang": "auto"})
    assert resp.status_code == 200
    a, b = resp.json()["results"]
    assert a["language"] == "zh" and b["language"] == "zh"
    # the hint wins over detection: it picks the language (and so the thresholds) of every text
    for lang in ("en", "zh"):
        resp = live_server.post("/v1/analyze", {"texts": ["hello there", "你好"], "lang": lang})
        assert resp.status_code == 200, resp.text
        assert [r["language"] for r in resp.json()["results"]] == [lang, lang]
    auto = live_server.post("/v1/analyze", {"texts": ["hello there", "你好，今天过得怎么样"]}).json()["results"]
    assert [r["language"] for r in auto] == ["en", "zh"]


def test_lone_surrogate_is_not_a_server_error(live_server):
    raw = b'{"texts": ["bad \\ud800 text"]}'
    resp = requests.post(live_server.url("/v1/analyze"), data=raw,
                         headers=live_server.headers(**{"Content-Type": "application/json"}), timeout=60)
    assert resp.status_code == 200


def test_request_id_is_echoed_or_generated(live_server):
    resp = live_server.post("/v1/analyze", {"texts": ["hi"]})
    generated = resp.headers["X-Request-Id"]
    assert len(generated) >= 16
    resp = requests.post(live_server.url("/v1/analyze"), json={"texts": ["hi"]},
                         headers=live_server.headers(**{"X-Request-Id": "client-req-42"}), timeout=60)
    assert resp.headers["X-Request-Id"] == "client-req-42"
    resp = requests.get(live_server.url("/nothing-here"), headers={"X-Request-Id": "bad id with spaces"}, timeout=10)
    assert resp.headers["X-Request-Id"] != "bad id with spaces"
