"""Direct-message shielding on the sites' message views, risk notices as system notifications,
and the behaviour when the server is down (page untouched, badge, backoff, posts go through)."""
from __future__ import annotations

import time

import pytest
import requests

from .conftest import ABUSIVE_EN, BENIGN_EN, ClosedUi, closed_texts

# the sites whose message views site-markup.md documents: X Chat (§6b), Bilibili (§1c), Douyin (§3b)
DM_PAGES = ["i/chat/x.html", "messages/bilibili.html#/whisper/mid1", "chat/douyin.html"]


def dm_state(page):
    return page.evaluate("""() => [...document.querySelectorAll('[data-expect]')].map((el) => ({
        expect: el.dataset.expect,
        folded: Boolean(el.querySelector('.ks-blurred')),
        kind: el.querySelector('[data-ks-ui=label]')?.dataset.ksKind || null,
    }))""")


@pytest.mark.parametrize("path", DM_PAGES)
def test_hostile_direct_messages_are_folded(model_separates, ext, path):
    page = ext.open(path)
    page.wait_for_selector("[data-expect='abusive'] [data-ks-ui=label]", state="attached", timeout=20000)
    page.wait_for_timeout(300)
    states = dm_state(page)
    assert any(m["expect"] == "own" for m in states), "the page has the person's own messages"
    for m in states:
        if m["expect"] == "abusive":
            assert m["folded"] and m["kind"] == "dm", m
        else:
            assert not m["folded"], m
    # folded by direction: the person's own (outgoing) messages are never sent for shielding or folded
    assert page.locator("[data-ks-ui=label]").count() == 1


def test_lockdown_folds_strangers_messages(model_separates, launch_ext, ks_server, fresh_key):
    r = requests.post(ks_server.url("/v1/protection/one-click"), json={"duration_hours": 24},
                      headers=ks_server.headers(fresh_key), timeout=30)
    assert r.status_code == 201
    ext = launch_ext(ks_server, settings={"apiKey": fresh_key})
    page = ext.open("i/chat/x.html")
    page.wait_for_function("() => document.querySelectorAll('[data-expect] [data-ks-ui=label]').length === 2", timeout=20000)
    states = dm_state(page)
    assert all(m["folded"] for m in states if m["expect"] != "own"), "with one-click protection on, a stranger's messages are folded"
    assert not any(m["folded"] for m in states if m["expect"] == "own")
    # the reason is in no attribute: it is read after a click on "Why?"
    for why in page.locator("[data-ks-ui=label] [data-ks-ui=why]").all():
        why.click()
    reasons = closed_texts(ext, page, "[data-ks-ui=why-text]")  # in closed shadow roots, out of the page's reach
    assert any("from someone you do not follow" in r for r in reasons), reasons
    stats = requests.get(ks_server.url("/v1/stats?days=1"), headers=ks_server.headers(fresh_key), timeout=30).json()
    assert stats["totals"]["blocked"] + stats["totals"]["folded"] >= 2


def test_pile_on_notice_becomes_a_notification(model_separates, launch_ext, ks_server, fresh_key):
    ext = launch_ext(ks_server, settings={"apiKey": fresh_key})
    texts = [ABUSIVE_EN, "Shut up you stupid ugly loser, nobody wants you here"]
    messages = [{"id": f"m{i}", "kind": "comment", "text": texts[i % 2], "sender": {"id": f"troll{i % 6}", "relation": "stranger"}}
                for i in range(14)]
    r = requests.post(ks_server.url("/v1/shield"), json={"messages": messages}, headers=ks_server.headers(fresh_key), timeout=60)
    assert r.status_code == 200, r.text
    fresh = ext.eval("() => self.kindshield.checkNotices()")
    assert len(fresh) == 1 and fresh[0]["type"] == "pile_on", fresh
    shown = ext.eval("() => chrome.notifications.getAll()")
    assert f"ks-notice:{fresh[0]['id']}" in shown
    # the alarm's next run does not notify the same notice twice
    assert ext.eval("() => self.kindshield.checkNotices()") == []
    assert ext.eval("async () => (await chrome.alarms.get('ks-notices')).periodInMinutes") == 1


def test_server_down_leaves_the_page_untouched(launch_ext):
    ext = launch_ext(None)  # the settings point at a closed port
    errors = []
    page = ext.ctx.new_page()
    ext.page = page
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{ext.pages_url}/x.html")
    page.wait_for_selector("html[data-ks-adapter]", state="attached", timeout=15000)
    before = page.inner_html("main")
    # never silent: a banner says that this page is not being filtered (Retry, Settings)
    banner = page.locator("[data-ks-ui=banner]")
    banner.wait_for(state="attached", timeout=10000)
    assert banner.get_attribute("data-ks-health") == "offline"
    assert "not being filtered" in ClosedUi(ext, page, "[data-ks-ui=banner]").text("[role=alert]")
    page.wait_for_timeout(1000)
    assert page.locator("[data-ks-ui=label]").count() == 0
    assert page.inner_html("main") == before, "the comments themselves are left as they are"
    assert errors == [], errors

    deadline = time.monotonic() + 10
    while ext.badge() != "!" and time.monotonic() < deadline:
        time.sleep(0.2)
    assert ext.badge() == "!", "the badge says the server is down"
    backoff = ext.eval("async () => (await chrome.storage.session.get('backoff')).backoff")
    assert backoff["failures"] >= 1 and backoff["nextAttemptAt"] > backoff["downSince"], "requests back off"
    assert backoff["lastError"] == "network"
    assert ext.eval("async () => Boolean(await chrome.alarms.get('ks-health'))"), "a health probe is scheduled"

    # posting is never blocked by a dead server (fail open)
    page.click("[data-testid=tweetTextarea_0]")
    page.keyboard.insert_text(BENIGN_EN)
    page.click("[data-testid=tweetButtonInline]")
    page.wait_for_function("() => window.__posted.length === 1", timeout=10000)
    assert page.locator("[data-ks-ui=nudge]").count() == 0

    # the popup says so too
    popup = ext.ctx.new_page()
    popup.goto(ext.url("popup/popup.html?host=localhost"))
    popup.wait_for_selector("body[data-ready='1']", state="attached", timeout=15000)
    assert "down" in popup.get_attribute("#server-state", "class")
    assert popup.locator("#error").inner_text() == "The Kindshield server cannot be reached."
    ext.page = page


def test_badge_clears_when_the_server_comes_back(launch_ext, ks_server):
    ext = launch_ext(ks_server)
    # simulate an earlier outage, then let the health probe find the server again
    ext.eval("""async () => {
        await chrome.storage.session.set({ backoff: { failures: 3, nextAttemptAt: Date.now() + 60000, lastError: 'network', downSince: Date.now() } });
        await chrome.action.setBadgeText({ text: '!' });
    }""")
    page = ext.open("x.html")
    page.wait_for_timeout(1500)
    assert page.locator("[data-ks-ui=label]").count() == 0, "while backing off, nothing is sent"
    ok = ext.eval("() => self.kindshield.status()")
    assert ok["serverDown"] is False
    deadline = time.monotonic() + 10
    while ext.badge() != "" and time.monotonic() < deadline:
        time.sleep(0.2)
    assert ext.badge() == ""
    page.reload()
    page.wait_for_selector("[data-expect='abusive'] [data-ks-ui=label]", state="attached", timeout=20000)
