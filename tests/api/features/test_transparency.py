"""The public /transparency page: JSON form, publication by consent with redaction, escaping,
and rendering in the real headless Chromium (screenshot under test-artifacts/)."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest
import requests

REPO = Path(__file__).resolve().parents[3]
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"


def H(key):
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def published_case(fserver, new_user):
    key = new_user("public-reporter")
    text = "@harasser99 <script>alert(1)</script> you are pathetic, see https://evil.example.com/x"
    r = requests.post(fserver.url("/v1/reports"), headers=H(key), timeout=60,
                      json={"text": text, "author": "@harasser99", "category": "harassment", "public": True})
    assert r.status_code == 201
    rid = r.json()["id"]
    private = requests.post(fserver.url("/v1/reports"), headers=H(key), timeout=60,
                            json={"text": "private evidence, never published"}).json()["id"]
    # only admins may publish, and only with the reporter's consent
    assert requests.post(fserver.url("/v1/transparency/cases"), json={"report_id": rid}, headers=H(key),
                         timeout=60).status_code == 403
    assert requests.post(fserver.url("/v1/transparency/cases"), json={"report_id": private},
                         headers=H(fserver.admin_key), timeout=60).status_code == 404
    cands = requests.get(fserver.url("/v1/transparency/candidates"), headers=H(fserver.admin_key), timeout=60).json()
    assert rid in [c["id"] for c in cands["candidates"]] and private not in [c["id"] for c in cands["candidates"]]
    r = requests.post(fserver.url("/v1/transparency/cases"), json={"report_id": rid},
                      headers=H(fserver.admin_key), timeout=60)
    assert r.status_code == 201
    return rid


def test_transparency_json_is_public_and_redacted(fserver, published_case):
    r = requests.get(fserver.url("/transparency.json"), timeout=60)
    assert r.status_code == 200
    data = r.json()
    assert data["granularity"] == "week" and len(data["periods"]) == 13 and data["min_count"] == 0
    assert set(data["totals"]) >= {"analysed", "flagged", "folded", "blocked", "nudges_shown", "nudges_heeded",
                                   "notices", "lockdowns", "reports"}
    assert data["totals"]["reports"] >= 1
    texts = [c["text"] for c in data["cases"]]
    assert texts and all("harasser99" not in t and "evil.example.com" not in t for t in texts)
    assert "private evidence" not in r.text
    assert requests.get(fserver.url("/v1/transparency"), timeout=60).json()["totals"] == data["totals"]


@pytest.mark.e2e
def test_transparency_page_in_headless_chromium(fserver, published_case):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install -y --no-install-recommends chromium")
    from playwright.sync_api import sync_playwright

    raw = requests.get(fserver.url("/transparency"), timeout=60)
    assert raw.status_code == 200 and raw.headers["Content-Type"].startswith("text/html")
    assert "default-src 'none'" in raw.headers["Content-Security-Policy"]
    assert "<script>alert(1)</script>" not in raw.text and "&lt;script&gt;" in raw.text

    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "transparency.png"
    origin = urlparse(fserver.base_url).netloc
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        try:
            page = browser.new_page(viewport={"width": 900, "height": 1200})
            requested, dialogs, errors = [], [], []
            page.on("request", lambda req: requested.append(req.url))
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on("pageerror", lambda e: errors.append(str(e)))
            resp = page.goto(fserver.url("/transparency"), wait_until="load")
            assert resp.status == 200
            assert "transparency" in page.title().lower()
            assert page.locator("figure.chart svg").count() == 4
            assert page.locator("figure.chart rect").count() >= 13
            assert int(page.locator('[data-key="reports"]').inner_text()) >= 1
            case = page.locator(".case blockquote").first.inner_text()
            assert "<script>alert(1)</script>" in case  # shown as text, never run
            assert "harasser99" not in case and "evil.example.com" not in case
            page.screenshot(path=str(shot), full_page=True)
            assert dialogs == [] and errors == []
            assert all(urlparse(u).netloc == origin for u in requested), requested  # no external assets
        finally:
            browser.close()
    assert shot.stat().st_size > 5000
