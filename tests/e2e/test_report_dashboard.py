"""'Report as harassment': the context-menu handler captures the comment under the right-click,
the URL, the time and a screenshot of the tab, and files it; the server holds the record with
the screenshot's hash and the chain verifies. Then the "My protection" page shows it.

A native context menu cannot be clicked in headless Chromium, so the test right-clicks the
comment in the page (the content script records the target) and then calls the very function
registered with chrome.contextMenus.onClicked, with the same arguments Chrome passes. The
extension copy for this test holds <all_urls> in place of the activeTab grant that a real
menu click gives (captureVisibleTab needs one of the two).
"""
from __future__ import annotations

import base64
import hashlib
import json

import requests

from .conftest import ABUSIVE_EN, ClosedUi
from .test_blur import wait_processed


def test_context_menu_report_reaches_the_server_with_its_screenshot(launch_ext, ks_server, fresh_key):
    ext = launch_ext(ks_server, capture=True, settings={"apiKey": fresh_key})
    menus = ext.eval("() => new Promise((r) => chrome.contextMenus.update('ks-report-harassment', {}, () => r(!chrome.runtime.lastError)))")
    assert menus, "the context-menu item exists"

    page = ext.open("x.html")
    wait_processed(page)
    # the comment is hidden: the person right-clicks its placeholder
    target = page.locator("[data-expect='abusive'] [data-ks-ui=label] .ks-what").first
    target.click(button="right")
    page.keyboard.press("Escape")
    page.bring_to_front()
    record = ext.eval("""async (base) => {
        const [tab] = await chrome.tabs.query({ url: base + '/x.html' });
        const info = { menuItemId: 'ks-report-harassment', pageUrl: tab.url, frameId: 0, editable: false };
        return self.kindshield.reportFromContextMenu(info, tab);
    }""", ext.pages_url)
    assert record["ok"], record
    assert record["screenshot"] is True
    assert len(record["sha256"]) == 64

    assert record["revealed"] is True, "the comment was shown as it is while the screenshot was taken"
    # the page says so in words, to screen readers too, with a way to see it
    toast = page.locator("[data-ks-ui=toast]")
    toast.wait_for(state="attached", timeout=5000)
    assert "Saved as evidence." in ClosedUi(ext, page, "[data-ks-ui=toast]").text("[role=status]")
    text_el = page.locator("[data-expect='abusive'] [data-testid=tweetText]").first
    assert "ks-blurred" in text_el.get_attribute("class"), "hidden again after the capture"

    headers = ks_server.headers(fresh_key)
    full = requests.get(ks_server.url(f"/v1/reports/{record['id']}"), headers=headers, timeout=30).json()
    assert full["text"] == ABUSIVE_EN
    assert full["author"] == "bob_77"
    assert full["url"] == f"{ext.pages_url}/x.html"
    assert full["seen_at"]
    assert "Post / X" in full["context"]
    assert "Hidden for you" not in full["context"] and "Show" not in full["context"].split("\n")[0]
    assert full["sha256"] == record["sha256"]
    png = base64.b64decode(full["screenshot"])
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert hashlib.sha256(png).hexdigest() == full["screenshot_sha256"], "the screenshot's hash is on record"
    verify = requests.get(ks_server.url("/v1/reports/verify"), headers=headers, timeout=30).json()
    assert verify["ok"] is True and verify["checked"] >= 1

    # a second report from a selection goes onto the same chain
    record2 = ext.eval("""async (base) => {
        const [tab] = await chrome.tabs.query({ url: base + '/x.html' });
        return self.kindshield.reportFromContextMenu({ menuItemId: 'ks-report-harassment', pageUrl: tab.url, frameId: 0, selectionText: 'nobody wants you here' }, tab);
    }""", ext.pages_url)
    assert record2["ok"] and record2["prev_sha256"] == record["sha256"]

    # "My protection": charts, the reports, the chain's verification, export
    dash = ext.ctx.new_page()
    ext.page = dash
    dash.goto(ext.url("dashboard/dashboard.html"))
    dash.wait_for_selector("body[data-ready='1']", state="attached", timeout=15000)
    rows = dash.locator("#report-rows tr")
    assert rows.count() == 2
    assert dash.locator(f"#report-rows tr[data-id='{record['id']}']").count() == 1
    assert dash.get_attribute("#chart", "data-days") == "30"
    # plain language: the words hidden until asked for, the status in words, numbers behind Details
    row = dash.locator(f"#report-rows tr[data-id='{record['id']}']")
    assert ABUSIVE_EN not in row.inner_text() and "Hidden for you" in row.inner_text()
    assert "Saved as evidence" in row.inner_text() and record["sha256"] not in row.inner_text()
    row.get_by_role("button", name="Show the words").click()
    assert ABUSIVE_EN in row.inner_text()
    row.locator("summary").click()
    assert record["sha256"] in row.inner_text()
    row.get_by_role("button", name="View the screenshot").click()
    img = row.locator(".shot img")
    img.wait_for(state="visible", timeout=10000)
    assert img.evaluate("(i) => i.complete && i.naturalWidth > 100")
    assert dash.locator("#totals [data-series=reports] b").inner_text() == "2"
    dash.click("#verify")
    dash.wait_for_selector("#verify-result[data-ok='true']", timeout=10000)
    assert "2" in dash.locator("#verify-result").inner_text()
    with dash.expect_download() as dl:
        dash.click("#export-json")
    exported = json.loads(open(dl.value.path(), encoding="utf-8").read())
    assert record["id"] in json.dumps(exported)
    with dash.expect_download() as dl:
        dash.click("#export-csv")
    assert record["sha256"] in open(dl.value.path(), encoding="utf-8").read()
