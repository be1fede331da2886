"""Property-based fuzzing of every operation in /openapi.json: no server errors, JSON errors."""
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error


@pytest.fixture(scope="module")
def fuzz_key(live_server):
    # a separate user, so fuzzed writes do not touch the other tests' data
    return live_server.create_key("schemathesis-fuzzer")


@pytest.fixture(scope="module")
def api_schema(live_server):
    # DELETE /v1/me would erase the fuzzer's own user: every operation after it would only see 401
    return schemathesis.openapi.from_url(live_server.url("/openapi.json")).exclude(method="DELETE", path="/v1/me")


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=30, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_api_has_no_server_errors(case, live_server, fuzz_key):
    response = case.call_and_validate(base_url=live_server.base_url,
                                      headers={"Authorization": f"Bearer {fuzz_key}"},
                                      checks=[not_a_server_error], timeout=120)
    assert response.status_code < 500
    headers = {k.lower(): v for k, v in response.headers.items()}
    assert headers.get("x-request-id")
    if response.status_code >= 400:
        assert "json" in str(headers.get("content-type"))
        assert "error" in response.json()
