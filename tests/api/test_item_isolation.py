"""One text that fails inside the analysis layer never fails its batch mates.

The trigger is the documented test-only fault hook ``KINDSHIELD_TEST_FAULT_MARKER``: a text
containing the marker makes the model call raise inside ``ModelService`` (as an unforeseen bug in
normalisation or inference would). Everything else is the real server, model and database.
"""
import re

import pytest
import requests
from conftest import start_server

MARKER = "zq-fault-7d1e"
BAD = f"an ordinary sentence {MARKER} that the fault hook breaks"
GOOD = ["you are a stupid worthless idiot", "thanks for the lovely photos", "你就是个傻逼，滚"]
ITEM_ERROR = {"code": "analysis_failed"}


@pytest.fixture(scope="module")
def faulty(tmp_path_factory):
    with start_server(tmp_path_factory.mktemp("fault"),
                               {"KINDSHIELD_TEST_FAULT_MARKER": MARKER}) as server:
        yield server


def _errors_metric(server) -> float:
    text = requests.get(server.url("/metrics"), timeout=30).text
    m = re.search(r"^kindshield_analysis_errors_total(?:\{[^}]*\})? ([0-9.e+]+)$", text, re.M)
    return float(m.group(1)) if m else 0.0


def test_analyze_scores_the_batch_mates_of_a_failing_text(faulty):
    before = _errors_metric(faulty)
    texts = [GOOD[0], BAD, GOOD[1], GOOD[2]]
    resp = faulty.post("/v1/analyze", {"texts": texts, "explain": True})
    assert resp.status_code == 200, resp.text
    results = resp.json()["results"]
    assert len(results) == 4
    assert set(results[1]) == {"error"}
    assert results[1]["error"]["code"] == ITEM_ERROR["code"] and results[1]["error"]["message"]
    # the others are exactly what they are without the bad text in the batch
    alone = faulty.post("/v1/analyze", {"texts": [GOOD[0], GOOD[1], GOOD[2]], "explain": True}).json()["results"]
    assert [results[0], results[2], results[3]] == alone
    assert results[0]["toxic"] is True and results[2]["toxic"] is False
    # logged without the text (hash and length only), counted once
    log = faulty.log_text()
    assert "analysis failed for one text" in log
    assert MARKER not in log and "ordinary sentence" not in log
    assert f"chars={len(BAD)}" in log
    assert _errors_metric(faulty) == before + 1


def test_only_failing_texts_fail_even_all_of_them(faulty):
    resp = faulty.post("/v1/analyze", {"texts": [BAD, BAD + "!"]})
    assert resp.status_code == 200, resp.text
    assert [set(r) for r in resp.json()["results"]] == [{"error"}, {"error"}]


def _msg(i, text, relation="mutual"):
    return {"id": f"m{i}", "kind": "comment", "text": text, "sender": {"id": f"s{i}", "relation": relation}}


def test_shield_decides_the_other_messages(faulty):
    msgs = [_msg(0, GOOD[0]), _msg(1, BAD), _msg(2, GOOD[1]), _msg(3, BAD, relation="stranger")]
    resp = faulty.post("/v1/shield", {"messages": msgs})
    assert resp.status_code == 200, resp.text
    d = resp.json()["decisions"]
    assert [x["id"] for x in d] == ["m0", "m1", "m2", "m3"]
    assert d[0]["action"] in ("fold", "block") and "error" not in d[0]
    assert d[2]["action"] == "deliver" and "error" not in d[2]
    assert d[1]["error"]["code"] == "analysis_failed" and "labels" not in d[1]
    # an unscored message is not treated as hostile: a mutual's comment is delivered
    assert d[1]["action"] == "deliver"
    assert d[3]["error"]["code"] == "analysis_failed"


def test_precheck_answers_without_a_nudge(faulty):
    resp = faulty.post("/v1/precheck", {"text": BAD})
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["nudge"] is False and body["nudge_id"] is None
    assert body["error"]["code"] == "analysis_failed"
    ok = faulty.post("/v1/precheck", {"text": GOOD[0]})
    assert ok.status_code == 200 and "error" not in ok.json()


def test_perspective_answers_a_json_error_not_a_500(faulty):
    resp = requests.post(faulty.url("/v1alpha1/comments:analyze"), params={"key": faulty.api_key},
                         json={"comment": {"text": BAD}, "requestedAttributes": {"TOXICITY": {}}}, timeout=60)
    assert resp.status_code == 422, resp.text
    err = resp.json()["error"]
    assert err["status"] == "INVALID_ARGUMENT"
    assert err["details"][0]["errorType"] == "COMMENT_ANALYSIS_FAILED"
    ok = requests.post(faulty.url("/v1alpha1/comments:analyze"), params={"key": faulty.api_key},
                       json={"comment": {"text": GOOD[0]}, "requestedAttributes": {"TOXICITY": {}}}, timeout=60)
    assert ok.status_code == 200, ok.text


def test_sdk_types_the_per_item_error(faulty):
    import kindshield

    with kindshield.Client(base_url=faulty.base_url, api_key=faulty.api_key) as client:
        analysis = client.analyze([GOOD[0], BAD, GOOD[1]])
        assert [r.ok for r in analysis] == [True, False, True]
        assert analysis[1].error == kindshield.ItemError(code="analysis_failed", message=analysis[1].error.message)
        assert analysis[1].text == BAD and analysis[1].toxic is False
        assert analysis.errors == (analysis[1],)
        assert analysis[0].toxic is True and analysis[0].error is None
        # round trip keeps the error
        assert kindshield.AnalysisResult.from_dict(analysis[1].to_dict()) == analysis[1]

        result = client.shield([_msg(0, GOOD[0]), _msg(1, BAD)])
        assert result.decisions[0].error is None
        assert result.decisions[1].error.code == "analysis_failed" and result.decisions[1].labels is None

        pre = client.precheck(BAD)
        assert pre.nudge is False and pre.error.code == "analysis_failed"
