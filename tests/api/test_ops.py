"""Health, readiness, metrics, OpenAPI and the docs page."""
import re

import requests


def test_health_and_ready(live_server):
    assert requests.get(live_server.url("/healthz"), timeout=10).json() == {"status": "ok"}
    ready = requests.get(live_server.url("/readyz"), timeout=10)
    assert ready.status_code == 200
    body = ready.json()
    assert body["status"] == "ready" and body["database"] == "sqlite" and body["model"]["name"]


def test_metrics_are_prometheus_text(live_server):
    live_server.post("/v1/analyze", {"texts": ["one", "two", "three"]})
    resp = requests.get(live_server.url("/metrics"), timeout=10)
    assert resp.status_code == 200 and resp.headers["Content-Type"].startswith("text/plain")
    text = resp.text
    assert "# TYPE kindshield_http_requests_total counter" in text
    assert re.search(r'kindshield_http_requests_total\{method="POST",route="/v1/analyze",status="200"\} \d+', text)
    assert re.search(r'kindshield_model_batch_size_bucket\{le="4(\.0)?"\} [0-9.]+', text)
    assert "kindshield_model_seconds_count" in text
    assert "kindshield_texts_analyzed_total" in text
    assert "kindshield_model_loaded 1" in text
    for line in text.splitlines():
        assert line.startswith("#") or re.match(r'^[a-z_]+(\{[^}]*\})? [0-9.e+Inf-]+$', line), line


def test_openapi_document(live_server):
    spec = requests.get(live_server.url("/openapi.json"), timeout=10).json()
    assert spec["openapi"].startswith("3.")
    assert "/v1/analyze" in spec["paths"] and "/v1alpha1/comments:analyze" in spec["paths"]
    op = spec["paths"]["/v1/analyze"]["post"]
    assert op["security"] == [{"bearerAuth": []}]
    for status in ("200", "400", "401", "429"):
        assert status in {str(k) for k in op["responses"]}
    req = spec["components"]["schemas"]["AnalyzeRequest"]
    assert req["properties"]["texts"]["maxItems"] == 256
    assert req["properties"]["texts"]["items"]["maxLength"] == 20000
    assert req.get("additionalProperties") is False
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_docs_page_is_self_contained(live_server):
    resp = requests.get(live_server.url("/docs"), timeout=10)
    assert resp.status_code == 200 and resp.headers["Content-Type"].startswith("text/html")
    html = resp.text
    assert "/v1/analyze" in html and "AnalyzeRequest" in html
    assert not re.search(r'<script[^>]+src=|<link[^>]+href="https?:|src="https?:', html)


def test_openapi_documents_the_subject_header(live_server):
    """Kindshield-Subject (platform keys) is a documented header parameter of every operation
    that takes a key, required-for-platform-keys routes named in its description."""
    answer = requests.get(live_server.url("/openapi.json"), timeout=10)
    spec = answer.json()
    # one version: the API document's is the package's, as in the Kindshield-Version header
    import kindshield_server

    assert spec["info"]["version"] == kindshield_server.__version__
    limits = requests.get(live_server.url("/v1/limits"), timeout=10)
    assert limits.headers["Kindshield-Version"] == kindshield_server.__version__
    param = spec["components"]["parameters"]["KindshieldSubject"]
    assert param["in"] == "header" and param["name"] == "Kindshield-Subject" and param["required"] is False
    assert param["schema"]["maxLength"] == 200
    assert "/v1/shield" in param["description"] and "subject_required" in param["description"]
    ref = {"$ref": "#/components/parameters/KindshieldSubject"}
    for path, method in (("/v1/shield", "post"), ("/v1/protection", "get"), ("/v1/notices", "get"),
                         ("/v1/reports", "get"), ("/v1/precheck", "post"), ("/v1/analyze", "post"),
                         ("/v1/stats", "get")):
        assert ref in spec["paths"][path][method].get("parameters", []), (path, method)
    # public routes take no key, so no subject
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            if isinstance(op, dict) and op.get("security") == []:
                assert ref not in op.get("parameters", []), (path, method)
    # the query parameters a route documents are kept next to it
    notices = spec["paths"]["/v1/notices"]["get"]["parameters"]
    assert any(p.get("in") == "query" for p in notices)
