"""Issue 36, walked through as a person being harassed would, in real Chromium against a real
server: setting up by pairing code from a fresh profile (no key to copy); hiding that hides (out
of view, out of the accessibility tree, no word in any attribute); never silent (banner within
seconds of the server stopping and gone when it is back; a refused key is red with a working
Fix); a pile-on folds into one bar; muting an account; the Report button captures the comment
revealed and hides it again; an axe-core scan of every screen; screenshots in both languages."""
from __future__ import annotations

import contextlib
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from . import make_pages as mp
from .conftest import ARTIFACTS, EXTENSION_ID, REPO, TEST_CORS_ORIGINS, ClosedUi, _shared, ax_nodes, start_server
from .test_blur import wait_processed

CODE_RE = re.compile(r"\b([A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4})\b")
AXE = (Path(__file__).resolve().parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
SERVER_ENV = {"KINDSHIELD_CORS_ORIGINS": f"chrome-extension://{EXTENSION_ID},{TEST_CORS_ORIGINS}"}


def pairing_code(server) -> str:
    """What the person reads on the server's /pair page."""
    resp = requests.get(server.url("/pair"), timeout=10)
    resp.raise_for_status()
    return CODE_RE.search(resp.text).group(1)


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"issue36-{name}.png"), full_page=True)


def welcome_tab(ext, timeout=30.0):   # opened on install; a loaded CI machine is slow to start the worker
    """The welcome page the extension opened by itself on install. Chromium 156 sometimes opens that
    tab before Playwright attaches to the browser, and Playwright never lists it (seen on main too):
    the tab is then found through chrome.tabs (it was opened, by the extension) and the test goes on
    in the same page loaded again in a tab Playwright sees."""
    url = ext.url("welcome/welcome.html")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for p in ext.ctx.pages:
            if p.url.startswith(url):
                return p
        opened = ext.eval("async (url) => (await chrome.tabs.query({})).filter((t) => (t.url || t.pendingUrl || '').startsWith(url)).map((t) => t.id)", url)
        if opened and time.monotonic() > deadline - timeout + 3:  # give Playwright 3 s to list it first
            ext.eval("async (ids) => chrome.tabs.remove(ids)", opened)
            page = ext.ctx.new_page()
            page.goto(url)
            return page
        time.sleep(0.1)
    raise AssertionError("no welcome page was opened")


def pair_in_welcome(page, server, address: str | None = None) -> None:
    page.wait_for_selector("body[data-ready='1']", state="attached", timeout=15000)
    if address:
        page.fill("#server-url", address)
        page.click("#look")
        # the search on load may already have found another address: wait for this one
        page.wait_for_function("(a) => document.body.dataset.server === a", arg=address.rstrip("/"), timeout=15000)
    page.wait_for_selector("#pair:not([hidden])", timeout=15000)
    assert page.get_attribute("#pair-page", "href").endswith("/pair")
    page.fill("#code", pairing_code(server).lower().replace("-", " "))  # typed loosely
    page.click("#connect")
    page.wait_for_selector("#pair-status[data-state='ok']", timeout=15000)


# ---------------------------------------------------------------- onboarding without a terminal
def test_pairing_by_code_from_a_fresh_profile(model_separates, launch_ext, ks_server):
    """Install -> the welcome page opens by itself -> it finds the server -> the person types the
    code the server shows -> the browser holds a key of its own -> protect the sites -> a page is
    protected. Nothing copied, no settings page."""
    ext = launch_ext(ks_server, settings={"apiKey": ""})
    page = welcome_tab(ext)
    ext.page = page
    page.wait_for_selector("body[data-ready='1']", state="attached", timeout=15000)
    assert page.locator("h1").inner_text().strip() == "Welcome to Kindshield"
    # the address a person would type for a server elsewhere (localhost: no permission prompt in the test copy)
    pair_in_welcome(page, ks_server, address=ks_server.base_url.replace("127.0.0.1", "localhost"))
    shot(page, "welcome-paired-en")
    stored = ext.eval("async () => (await chrome.storage.local.get('settings')).settings")
    assert "apiKey" not in stored, "the key never goes to chrome.storage.local (content scripts read it)"
    key = ext.api_key()
    assert key.startswith("ks_") and key not in (ks_server.api_key, ks_server.admin_key)
    assert stored["serverUrl"] == ks_server.base_url.replace("127.0.0.1", "localhost")
    assert requests.get(ks_server.url("/v1/protection"), headers=ks_server.headers(key), timeout=30).status_code == 200
    assert requests.get(ks_server.url("/v1/admin/offenders"), headers=ks_server.headers(key), timeout=30).status_code == 403

    # "Protect the supported sites": Chrome's prompt cannot be clicked headless; its "Allow" is stubbed
    page.evaluate("() => { chrome.permissions.request = async () => true; }")
    page.click("#protect")
    page.wait_for_selector("#protect-status[data-state='ok']", timeout=15000)
    x = ext.open("x.html")
    wait_processed(x)
    assert x.locator("[data-ks-ui=label]").count() == 2, "a protected page, reached by following only what the extension showed"


def test_welcome_page_without_a_server_says_how_to_start_one(launch_ext):
    ext = launch_ext(None, settings={"apiKey": "", "serverUrl": "http://127.0.0.1:9"})
    page = welcome_tab(ext)
    ext.page = page
    page.wait_for_selector("body[data-ready='1']", state="attached", timeout=15000)
    page.fill("#server-url", "http://localhost:9")
    page.click("#look")
    page.wait_for_selector("#find-status[data-state='error']", timeout=20000)
    assert page.locator("#not-found").is_visible()
    how = page.locator("#not-found").inner_text()
    for system in ("Windows", "macOS", "Linux"):
        assert system in how
    assert how.count("kindshield-server") == 3
    assert not page.locator("#pair").is_visible()
    shot(page, "welcome-no-server-en")


# ---------------------------------------------------------------- hiding that hides
ATTRS_JS = """() => {
    const out = [];
    const walk = (root) => { for (const el of root.querySelectorAll('*')) {
        for (const a of el.attributes) out.push([el.tagName, a.name, a.value]);
        if (el.shadowRoot) walk(el.shadowRoot);
    } };
    walk(document);
    return out;
}"""


def test_hidden_comment_is_out_of_the_accessibility_tree_and_every_attribute(model_separates, ext):
    page = ext.open("x.html")
    wait_processed(page)
    tree = page.locator("main").aria_snapshot()
    assert mp.ABUSIVE_EN not in tree and "stupid" not in tree and "loser" not in tree
    assert tree.count("Hidden for you") == 2, tree  # the placeholder is what is announced
    assert "bob_77" in tree, "each hidden comment's controls name it"
    words = {"stupid", "worthless", "idiot", "loser", "ugly"}
    for tag, name, value in page.evaluate(ATTRS_JS):
        low = value.lower()
        assert not any(w in low for w in words), (tag, name, value)
        assert name not in ("data-ks-score", "data-ks-reason", "data-ks-action"), (tag, name)
        if name == "title":
            assert "Kindshield" not in value, (tag, name, value)
    for item in page.locator("[data-expect='abusive'] [data-testid=tweetText]").all():
        assert not item.is_visible()
        assert item.get_attribute("aria-hidden") == "true"
    shot(page, "hidden-comments-en")


# ---------------------------------------------------------------- never silent
@contextlib.contextmanager
def own_server(tmp_path):
    """A server of this test's own, which it may stop and start again on the same port."""
    with start_server(tmp_path / "own-server", SERVER_ENV) as server:
        procs = {"proc": server.process}

        def stop():
            _shared.stop_process(procs["proc"])

        def restart():
            log = open(server.log_path, "a", encoding="utf-8")
            proc = subprocess.Popen([sys.executable, "-m", "kindshield_server.cli", "serve", "--host", "127.0.0.1",
                                     "--port", str(server.port)], env=server.env, cwd=str(REPO), stdout=log,
                                    stderr=subprocess.STDOUT)
            procs["proc"] = proc
            _shared.wait_ready(server.base_url, proc, server.log_path)

        try:
            yield server, stop, restart
        finally:
            _shared.stop_process(procs["proc"])


def test_offline_banner_within_seconds_gone_when_the_server_returns(model_separates, launch_ext, tmp_path):
    with own_server(tmp_path) as (server, stop, restart):
        ext = launch_ext(server, settings={"hideAllOffline": True})
        page = ext.open("x.html")
        wait_processed(page)
        assert page.locator("[data-ks-ui=banner]").count() == 0
        stop()
        t0 = time.monotonic()
        banner = page.locator("[data-ks-ui=banner]")
        banner.wait_for(state="attached", timeout=15000)
        took = time.monotonic() - t0
        assert took < 12, took
        assert banner.get_attribute("data-ks-health") == "offline"
        ui = ClosedUi(ext, page, "[data-ks-ui=banner]")
        assert ui.mode() == "closed" and banner.evaluate("(el) => el.shadowRoot") is None, "the page cannot open it"
        alert = ui.text("[role=alert]")
        assert "can\u2019t reach its server" in alert
        assert "hidden until it is back" in alert, "the person chose: hide everything while offline"
        assert ui.texts("button") == ["Retry", "Settings"]
        announced = ax_nodes(ext.ctx, page)
        assert any(n["role"] == "alert" for n in announced), "announced to screen readers"
        assert {"Retry", "Settings"} <= {n["name"] for n in announced if n["role"] == "button"}
        # every comment, friendly ones too, is behind a placeholder while nothing can be checked
        page.wait_for_function("() => [...document.querySelectorAll('[data-expect] [data-testid=tweetText]')].every((t) => t.classList.contains('ks-blurred'))",
                               timeout=10000)
        assert page.locator("[data-expect='benign'] .ks-what").first.inner_text() == "Hidden while Kindshield is offline"
        shot(page, "offline-banner-en")
        restart()
        banner.wait_for(state="detached", timeout=20000)
        page.wait_for_function("() => [...document.querySelectorAll('[data-expect=benign] [data-testid=tweetText]')].every((t) => !t.classList.contains('ks-blurred'))",
                               timeout=20000)
        wait_processed(page)
        assert page.locator("[data-ks-ui=banner-back]").count() <= 1


def test_wrong_key_is_red_with_words_and_fix_pairs_again(model_separates, launch_ext, ks_server):
    ext = launch_ext(ks_server, settings={"apiKey": "ks_this_key_was_revoked"})
    page = ext.open("x.html")
    banner = page.locator("[data-ks-ui=banner]")
    banner.wait_for(state="attached", timeout=15000)
    assert banner.get_attribute("data-ks-health") == "bad_key"
    assert "did not accept its key" in ClosedUi(ext, page, "[data-ks-ui=banner]").text("[role=alert]")

    popup = ext.ctx.new_page()
    popup.goto(ext.url(f"popup/popup.html?host=localhost&origin={ext.pages_url}"))
    popup.wait_for_selector("body[data-ready='1']", state="attached", timeout=15000)
    status = popup.locator("#server-status")
    assert status.get_attribute("data-health") == "bad_key"
    assert status.get_attribute("data-tone") == "bad"
    assert "up" not in popup.get_attribute("#server-state", "class"), "never green beside a refused key"
    assert "refused" in popup.locator("#server-words").inner_text()
    assert popup.locator("#site-status").inner_text() == "This site: not protected right now", "never 'protected' while nothing is checked"
    shot(popup, "popup-bad-key-en")
    copy = ClosedUi(ext, page, "[data-ks-ui=banner]").open_copy()  # axe cannot enter the closed root: a clone of it
    assert serious(axe_scan(page, [[copy, ".bar"]])) == [], "the banner (markup and styles of its shadow root) passes axe"
    with ext.ctx.expect_page() as opened:
        popup.click("#fix")
    welcome = opened.value
    ext.page = welcome
    pair_in_welcome(welcome, ks_server)
    popup.reload()
    popup.wait_for_selector("#server-status[data-health='ok']", timeout=15000)
    assert popup.locator("#server-words").inner_text() == "Connected to your server"
    assert popup.locator("#site-status").inner_text() == "This site: protected"
    assert not popup.locator("#fix").is_visible()
    page.bring_to_front()
    banner.wait_for(state="detached", timeout=20000)
    wait_processed(page)
    ext.page = page


# ---------------------------------------------------------------- a pile-on folds; muting
def test_eighteen_hidden_comments_fold_into_one_bar(model_separates, ext):
    page = ext.open("x-pileon.html")
    page.wait_for_function("() => document.querySelectorAll('[data-ks-ui=label]').length === 18", timeout=30000)
    bar = page.locator("[data-ks-ui=fold]")
    bar.wait_for(state="visible", timeout=10000)
    assert bar.count() == 1
    assert bar.inner_text().startswith("18 comments hidden")
    show = bar.get_by_role("button", name="Show 18 hidden comments")
    assert page.locator("[data-expect='benign']").first.is_visible()
    assert not any(label.is_visible() for label in page.locator("[data-ks-ui=label]").all()), "one bar, not 18 labels"
    assert "troll_" not in page.locator("main").aria_snapshot(), "no usernames of the pile in view"
    shot(page, "pile-on-folded-en")
    assert serious(axe_scan(page, [["[data-ks-ui=fold]"]])) == []
    tab_id = ext.eval("async (u) => (await chrome.tabs.query({ url: u }))[0].id", f"{ext.pages_url}/x-pileon.html")
    popup = ext.ctx.new_page()
    popup.goto(ext.url(f"popup/popup.html?host=localhost&origin={ext.pages_url}&tab={tab_id}"))
    popup.wait_for_selector("body[data-ready='1']", state="attached", timeout=15000)
    popup.wait_for_selector("#page-count:not([hidden])", timeout=10000)
    assert popup.locator("#page-count").inner_text() == "Hidden on this page: 18"
    popup.close()
    page.bring_to_front()
    show.click()
    assert all(label.is_visible() for label in page.locator("[data-ks-ui=label]").all())
    assert bar.get_by_role("button").inner_text() == "Fold again"


def test_mute_an_account_on_this_site_listed_in_options(model_separates, ext):
    page = ext.open("x.html")
    wait_processed(page)
    label = page.locator("[data-expect='abusive'] [data-ks-ui=label]").first
    label.get_by_role("button", name="Mute this account here: bob_77").click()
    page.wait_for_function("() => [...document.querySelectorAll('[data-ks-ui=label] .ks-what')].some((w) => w.textContent === 'Hidden: an account you muted')",
                           timeout=10000)
    muted = ext.eval("async () => (await chrome.storage.local.get('mutedAccounts')).mutedAccounts")
    assert muted == {"localhost": ["bob_77"]}
    options = ext.ctx.new_page()
    options.goto(ext.url("options/options.html"))
    options.wait_for_selector("body[data-ready='1']", state="attached", timeout=15000)
    row = options.locator("#muted-list li")
    assert row.count() == 1 and "bob_77 · localhost" in row.inner_text()
    shot(options, "options-muted-en")
    row.get_by_role("button", name="Unmute: bob_77 (localhost)").click()
    options.wait_for_selector("#muted-list li", state="detached", timeout=5000)
    assert ext.eval("async () => (await chrome.storage.local.get('mutedAccounts')).mutedAccounts") == {}
    ext.page = page


# ---------------------------------------------------------------- evidence
RECORD_JS = """() => {
    const t = document.querySelector("[data-expect='abusive'] [data-testid=tweetText]");
    window.__states = [];
    const note = () => window.__states.push({ visible: getComputedStyle(t).display !== 'none',
        capturing: document.documentElement.classList.contains('ks-capturing'),
        framed: Boolean(t.closest('.ks-evidence')) });
    new MutationObserver(note).observe(t, { attributes: true, attributeFilter: ['class'] });
    new MutationObserver(note).observe(document.documentElement, { attributes: true, attributeFilter: ['class'] });
}"""


def test_report_button_captures_the_comment_revealed_then_hides_it_again(model_separates, launch_ext, ks_server, fresh_key):
    ext = launch_ext(ks_server, capture=True, settings={"apiKey": fresh_key})
    page = ext.open("x.html")
    wait_processed(page)
    page.evaluate(RECORD_JS)
    label = page.locator("[data-expect='abusive'] [data-ks-ui=label]").first
    label.get_by_role("button", name="Report: the hidden comment from bob_77").click()
    toast = page.locator("[data-ks-ui=toast]")
    toast.wait_for(state="attached", timeout=20000)
    ui = ClosedUi(ext, page, "[data-ks-ui=toast]")
    assert "Saved as evidence." in ui.text("[role=status]")
    assert ui.texts("[data-ks-ui=toast-action]") == ["View"]
    states = page.evaluate("() => window.__states")
    assert any(s["visible"] and s["capturing"] and s["framed"] for s in states), states
    assert not states[-1]["visible"] and not states[-1]["capturing"], "hidden again afterwards"
    record = ext.eval("async () => (await chrome.storage.local.get('lastReport')).lastReport")
    assert record["ok"] and record["revealed"] is True and record["screenshot"] is True, record
    full = requests.get(ks_server.url(f"/v1/reports/{record['id']}"), headers=ks_server.headers(fresh_key), timeout=30).json()
    assert full["text"] == mp.ABUSIVE_EN and full["author"] == "bob_77"
    assert "Hidden for you" not in full["context"] and "Why?" not in full["context"]
    assert mp.BENIGN_EN in full["context"]


# ---------------------------------------------------------------- accessibility, both languages
def axe_scan(page, include=None):
    page.evaluate(AXE + "\n;true")
    return page.evaluate("""async (include) => {
        const r = await axe.run(include ? { include } : document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] });
        return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.html.slice(0, 160)) }));
    }""", include)


def serious(violations):
    return [v for v in violations if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_axe_core_finds_no_serious_problems_on_any_screen(model_separates, launch_ext, ks_server, fresh_key, language):
    ext = launch_ext(ks_server, settings={"apiKey": fresh_key, "language": language})
    tag = "en" if language == "en" else "zh"
    screens = {
        "popup": ext.url(f"popup/popup.html?host=localhost&origin={ext.pages_url}"),
        "options": ext.url("options/options.html"),
        "welcome": ext.url("welcome/welcome.html"),
        "dashboard": ext.url("dashboard/dashboard.html"),
    }
    found = {}
    for name, url in screens.items():
        page = ext.ctx.new_page()
        page.goto(url)
        page.wait_for_selector("body[data-ready='1']", state="attached", timeout=15000)
        page.wait_for_timeout(800)  # the welcome page's search, the dashboard's data
        found[name] = serious(axe_scan(page))
        shot(page, f"{name}-{tag}")
        page.close()
    page = ext.open("x.html" if language == "en" else "weibo.html")
    wait_processed(page)
    # the fixture page is not ours to judge: only Kindshield's own elements are scanned
    found["page"] = serious(axe_scan(page, [["[data-ks-ui=label]"]]))
    shot(page, f"page-{tag}")
    assert all(not v for v in found.values()), found
