"""Perspective-compatible API: a client that follows the discovery document, in plain HTTP."""
import requests

ATTRS = ["TOXICITY", "SEVERE_TOXICITY", "INSULT", "THREAT", "IDENTITY_ATTACK", "PROFANITY"]
TOXIC = "You are a stupid idiot. I will find you. Have a nice day."


def perspective_client(live_server):
    """Do what googleapiclient.discovery.build does: read the discovery document, then call
    rootUrl + servicePath + method path with ?key= and alt=json."""
    disc = requests.get(live_server.url("/$discovery/rest"), params={"version": "v1alpha1"}, timeout=10)
    assert disc.status_code == 200
    doc = disc.json()
    assert doc["kind"] == "discovery#restDescription" and doc["name"] == "commentanalyzer"
    assert doc["rootUrl"] == live_server.base_url + "/"
    method = doc["resources"]["comments"]["methods"]["analyze"]
    assert method["httpMethod"] == "POST"
    assert method["request"]["$ref"] in doc["schemas"] and method["response"]["$ref"] in doc["schemas"]
    url = doc["rootUrl"] + doc["servicePath"] + method["path"]

    def analyze(body, key=live_server.api_key):
        return requests.post(url, params={"key": key, "alt": "json"}, json=body, timeout=60)

    return analyze


def assert_google_error(resp, status, error_type=None):
    assert resp.status_code == status, resp.text
    assert resp.headers.get("X-Request-Id")
    err = resp.json()["error"]
    assert err["code"] == status and err["message"] and err["status"]
    assert isinstance(err["details"], list) and err["details"][0]["@type"].startswith("type.googleapis.com/")
    if error_type:
        assert err["details"][0]["errorType"] == error_type
    return err


def test_round_trip_all_attributes(live_server):
    analyze = perspective_client(live_server)
    resp = analyze({"comment": {"text": TOXIC}, "requestedAttributes": {a: {} for a in ATTRS},
                    "languages": ["en"], "doNotStore": True, "clientToken": "tok-1"})
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert set(body["attributeScores"]) == set(ATTRS)
    for scores in body["attributeScores"].values():
        assert scores["summaryScore"]["type"] == "PROBABILITY"
        assert 0.0 <= scores["summaryScore"]["value"] <= 1.0
        (span,) = scores["spanScores"]   # without spanAnnotations: one span over the whole comment
        assert span["begin"] == 0 and span["end"] == len(TOXIC)
        assert span["score"]["value"] == scores["summaryScore"]["value"]
    assert body["languages"] == ["en"]
    assert body["detectedLanguages"] == ["en"]
    assert body["clientToken"] == "tok-1"
    tox = body["attributeScores"]["TOXICITY"]["summaryScore"]["value"]
    assert body["attributeScores"]["SEVERE_TOXICITY"]["summaryScore"]["value"] <= tox + 1e-9
    # TOXICITY is our `toxic` label
    ours = live_server.post("/v1/analyze", {"texts": [TOXIC], "lang": "en"}).json()["results"][0]
    assert abs(ours["labels"]["toxic"] - tox) < 1e-4
    assert abs(ours["labels"]["insult"] - body["attributeScores"]["INSULT"]["summaryScore"]["value"]) < 1e-4
    assert abs(ours["labels"]["obscene"] - body["attributeScores"]["PROFANITY"]["summaryScore"]["value"]) < 1e-4


def test_span_annotations_and_threshold(live_server):
    analyze = perspective_client(live_server)
    resp = analyze({"comment": {"text": TOXIC}, "requestedAttributes": {"TOXICITY": {}, "THREAT": {}},
                    "spanAnnotations": True})
    assert resp.status_code == 200, resp.text
    spans = resp.json()["attributeScores"]["TOXICITY"]["spanScores"]
    assert len(spans) == 3
    assert spans[0]["begin"] == 0 and spans[-1]["end"] == len(TOXIC)
    assert all(a["end"] == b["begin"] for a, b in zip(spans, spans[1:]))
    assert all(0.0 <= sp["score"]["value"] <= 1.0 for sp in spans)
    # scoreThreshold leaves out attributes below it
    benign = analyze({"comment": {"text": "What a lovely afternoon."},
                      "requestedAttributes": {"TOXICITY": {"scoreThreshold": 0.99}, "INSULT": {}}}).json()
    assert "TOXICITY" not in benign["attributeScores"] and "INSULT" in benign["attributeScores"]


def test_chinese_comment(live_server):
    analyze = perspective_client(live_server)
    resp = analyze({"comment": {"text": "你就是个废物，滚"}, "requestedAttributes": {"TOXICITY": {}},
                    "languages": ["zh-CN"]})
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["languages"] == ["zh"] and body["detectedLanguages"] == ["zh"]
    # a clear Chinese insult scores as toxic, far above a friendly Chinese sentence
    toxic = body["attributeScores"]["TOXICITY"]["summaryScore"]["value"]
    friendly = analyze({"comment": {"text": "谢谢你，今天过得很开心"}, "requestedAttributes": {"TOXICITY": {}},
                        "languages": ["zh"]}).json()["attributeScores"]["TOXICITY"]["summaryScore"]["value"]
    assert toxic >= 0.5 and friendly < 0.5, (toxic, friendly)
    spans = body["attributeScores"]["TOXICITY"]["spanScores"]
    assert spans and spans[0]["begin"] == 0 and spans[-1]["end"] == len("你就是个废物，滚")


def test_errors_in_google_format(live_server):
    analyze = perspective_client(live_server)
    assert_google_error(analyze({"comment": {"text": ""}, "requestedAttributes": {"TOXICITY": {}}}), 400,
                        "COMMENT_EMPTY")
    assert_google_error(analyze({"comment": {"text": "   "}, "requestedAttributes": {"TOXICITY": {}}}), 400,
                        "COMMENT_EMPTY")
    assert_google_error(analyze({"comment": {"text": "a" * 20_001}, "requestedAttributes": {"TOXICITY": {}}}),
                        400, "COMMENT_TOO_LONG")
    assert_google_error(analyze({"comment": {"text": "hi"}, "requestedAttributes": {}}), 400,
                        "NO_REQUESTED_ATTRIBUTES")
    assert_google_error(analyze({"comment": {"text": "hi"}}), 400, "NO_REQUESTED_ATTRIBUTES")
    err = assert_google_error(analyze({"comment": {"text": "hi"}, "requestedAttributes": {"TOXICITY": {}},
                                       "languages": ["fr"]}), 400, "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE")
    assert "TOXICITY" in err["message"]
    assert_google_error(analyze({"comment": {"text": "hi"}, "requestedAttributes": {"FLIRTATION": {}}}), 400,
                        "INVALID_REQUEST")
    err = assert_google_error(analyze({"comment": {"text": "hi"}, "requestedAttributes": {"TOXICITY": {}},
                                       "unknownField": 1}), 400, "INVALID_REQUEST")
    assert err["status"] == "INVALID_ARGUMENT"
    assert_google_error(analyze({"comment": {"text": "hi"}, "requestedAttributes": {"TOXICITY": {}}},
                                key="ks_wrong"), 401)
    resp = requests.post(live_server.url("/v1alpha1/comments:analyze"),
                         json={"comment": {"text": "hi"}, "requestedAttributes": {"TOXICITY": {}}}, timeout=30)
    assert_google_error(resp, 401)


def test_bearer_auth_also_works(live_server):
    resp = live_server.post("/v1alpha1/comments:analyze",
                            {"comment": {"text": "hello"}, "requestedAttributes": {"TOXICITY": {}}})
    assert resp.status_code == 200


def test_discovery_document_variants(live_server):
    resp = requests.get(live_server.url("/discovery/v1/apis/commentanalyzer/v1alpha1/rest"), timeout=10)
    assert resp.status_code == 200 and resp.json()["id"] == "commentanalyzer:v1alpha1"
    resp = requests.get(live_server.url("/$discovery/rest"), params={"version": "v9"}, timeout=10)
    assert resp.status_code == 404
