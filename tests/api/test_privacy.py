"""Privacy: analysed text never reaches the logs, the database or error bodies."""
import uuid

import requests


def test_sentinel_text_is_not_stored_logged_or_echoed(live_server):
    sentinel = "SENTINEL" + uuid.uuid4().hex.upper()
    zh_sentinel = "哨兵" + uuid.uuid4().hex[:12]
    text = f"you are an idiot {sentinel} {zh_sentinel}"
    bodies = []
    # successful analyses, with and without explanations
    for payload in ({"texts": [text]}, {"texts": [text, "fine"], "explain": True, "lang": "en"}):
        resp = live_server.post("/v1/analyze", payload)
        assert resp.status_code == 200
    resp = live_server.post("/v1alpha1/comments:analyze",
                            {"comment": {"text": text}, "requestedAttributes": {"TOXICITY": {}},
                             "spanAnnotations": True, "doNotStore": False})
    assert resp.status_code == 200
    # error paths that carry the text
    error_payloads = [
        {"texts": [text], "lang": "xx"},
        {"texts": [text], "unknown_field": text},
        {"texts": [text + "x" * 20_001]},
        {"texts": [text] * 300},
        {"texts": [text], "explain": text},
    ]
    for payload in error_payloads:
        resp = live_server.post("/v1/analyze", payload)
        assert resp.status_code == 400
        bodies.append(resp.text)
    for payload in ({"comment": {"text": text + "x" * 20_001}, "requestedAttributes": {"TOXICITY": {}}},
                    {"comment": {"text": text}, "requestedAttributes": {"NOPE": {}}},
                    {"comment": {"text": text}, "requestedAttributes": {"TOXICITY": {}}, "languages": ["xx"]},
                    {"comment": {"text": text, "type": "HTML"}, "requestedAttributes": {"TOXICITY": {}}}):
        resp = live_server.post("/v1alpha1/comments:analyze", payload)
        assert resp.status_code == 400
        bodies.append(resp.text)
    resp = requests.post(live_server.url("/v1/analyze"), data=text.encode(),
                         headers=live_server.headers(**{"Content-Type": "text/plain"}), timeout=30)
    assert resp.status_code == 415
    bodies.append(resp.text)
    # the text sent with a bad key
    resp = requests.post(live_server.url("/v1/analyze"), json={"texts": [text]},
                         headers={"Authorization": "Bearer ks_bad"}, timeout=30)
    bodies.append(resp.text)

    for body in bodies:
        assert sentinel not in body and zh_sentinel not in body
    log = live_server.log_text()
    assert sentinel not in log and zh_sentinel not in log
    assert "idiot" not in log
    needles = [sentinel.encode(), zh_sentinel.encode("utf-8"), sentinel.encode("utf-16-le")]
    files = [p for p in live_server.data_dir.rglob("*") if p.is_file()]
    assert any(p.name == "kindshield.db" for p in files)
    for path in files:   # the database and its -wal/-shm files
        data = path.read_bytes()
        for needle in needles:
            assert needle not in data, f"text found in {path}"
    metrics = requests.get(live_server.url("/metrics"), timeout=10).text
    assert sentinel not in metrics
