"""End-to-end fixtures: Debian's headless Chromium with the unpacked Kindshield extension,
a real Kindshield server (with the model) and local pages reproducing each site's markup.

Recipe (../shared/notes/browser-tests.md): ``launch_persistent_context`` with a fresh profile,
``--disable-extensions-except`` + ``--load-extension``, no sandbox/GPU/background networking.

Two things a headless test cannot do are the person's clicks in browser UI: granting an optional
site permission in Chrome's prompt, and choosing the context-menu item (which grants activeTab
for the screenshot). So the extension under test is a copy of extension/ whose manifest adds
``http://localhost/*`` to host_permissions (as if the person had clicked "Protect this site";
the pages are served on localhost) and, for the report test only, ``<all_urls>`` (standing in
for the activeTab grant of a real context-menu click). The manifest key stays, so the id is the
pinned one; the server runs on 127.0.0.1 and is reached through its CORS allow-list for that id.
"""
from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import threading
import time
from pathlib import Path

import pytest


def _shared_conftest():
    """tests/conftest.py (the shared live-server helpers), loaded by path: it is not a package."""
    import importlib.util
    import sys

    name = "kindshield_tests_shared_conftest"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).resolve().parents[1] / "conftest.py")
        mod = importlib.util.module_from_spec(spec)
        sys.modules[name] = mod
        spec.loader.exec_module(mod)
    return sys.modules[name]


_shared = _shared_conftest()
TEST_CORS_ORIGINS = _shared.TEST_CORS_ORIGINS
start_server = _shared.start_server

REPO = Path(__file__).resolve().parents[2]
EXTENSION = REPO / "extension"
PAGES = Path(__file__).resolve().parent / "pages"
ARTIFACTS = REPO / "test-artifacts" / "e2e"
EXTENSION_ID = "fbdidplofglnoigpajgpccgjjckmbohp"
CHROMIUM = os.environ.get("KINDSHIELD_TEST_CHROMIUM", "/usr/bin/chromium")

# Re-exported for the test modules: clearly abusive / clearly benign texts.
from .make_pages import ABUSIVE_EN, BENIGN_EN  # noqa: E402, F401

pytestmark = pytest.mark.e2e


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


# ---------------------------------------------------------------- server and pages
@pytest.fixture(scope="session")
def ks_server(tmp_path_factory):
    """A real server whose CORS allow-list names the extension's pinned id."""
    env = {"KINDSHIELD_CORS_ORIGINS": f"chrome-extension://{EXTENSION_ID},{TEST_CORS_ORIGINS}"}
    if os.environ.get("KINDSHIELD_TEST_MODEL_DIR"):  # developer override; CI uses the shipped model
        env["KINDSHIELD_MODEL_DIR"] = os.environ["KINDSHIELD_TEST_MODEL_DIR"]
    with start_server(tmp_path_factory.mktemp("ks-e2e"), env) as server:
        yield server


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest output clean
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


@pytest.fixture(scope="session")
def pages_url():
    """The fixture pages over HTTP on localhost (content scripts do not run on file:// URLs)."""
    handler = functools.partial(_QuietHandler, directory=str(PAGES))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    yield f"http://localhost:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


# ---------------------------------------------------------------- the extension under test
def extension_copy(dest: Path, *, capture: bool = False, extra_hosts: tuple = (), grant_localhost: bool = True) -> Path:
    shutil.copytree(EXTENSION, dest, ignore=shutil.ignore_patterns("tests", "tools", "node_modules", "package.json"))
    manifest = json.loads((dest / "manifest.json").read_text(encoding="utf-8"))
    manifest["host_permissions"] = ([*manifest["host_permissions"]] + (["http://localhost/*"] if grant_localhost else [])
                                    + list(extra_hosts) + (["<all_urls>"] if capture else []))
    (dest / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return dest


class Ext:
    """A running Chromium with the extension: context, service worker, id, helpers."""

    def __init__(self, ctx, sw, server, pages_url):
        self.ctx = ctx
        self.sw = sw
        self.id = sw.url.split("/")[2]
        self.server = server
        self.pages_url = pages_url
        self.page = None  # the page a test screenshot shows

    def url(self, path: str) -> str:
        return f"chrome-extension://{self.id}/{path}"

    def worker(self):
        """The current service worker (Chrome may have restarted it)."""
        workers = [w for w in self.ctx.service_workers if self.id in w.url]
        if workers:
            self.sw = workers[0]
        return self.sw

    def eval(self, js: str, arg=None):
        """Evaluate in the service worker. Chrome may stop an idle worker at any time (the
        extension keeps nothing in it that matters), so a closed target is retried on the next one."""
        for attempt in range(4):
            try:
                return self.worker().evaluate(js, arg)
            except Exception as exc:  # playwright.Error: "Target closed", "Execution context was destroyed"
                if attempt == 3 or not re.search(r"closed|destroyed|detached", str(exc), re.I):
                    raise
                time.sleep(0.3)
                if not [w for w in self.ctx.service_workers if self.id in w.url and w is not self.sw]:
                    # wake the worker: opening an extension page starts it again
                    try:
                        self.sw = self.ctx.wait_for_event("serviceworker", timeout=3000)
                    except Exception:
                        pass

    def settings(self, **patch):
        """Change stored settings; an ``apiKey`` goes to the key store (never chrome.storage.local)."""
        return self.eval("""async (patch) => {
            const { apiKey, ...rest } = patch;
            if (typeof apiKey === 'string') await self.kindshield.saveApiKey(apiKey);
            const got = await chrome.storage.local.get('settings');
            const next = { ...(got.settings || {}), ...rest };
            await chrome.storage.local.set({ settings: next });
            return next;
        }""", patch)

    def api_key(self) -> str:
        """The key the worker uses (from its key store)."""
        return self.eval("() => self.kindshield.loadApiKey()")

    def open(self, path: str, *, wait_adapter: bool = True, page=None):
        page = page or self.ctx.new_page()
        self.page = page
        page.goto(f"{self.pages_url}/{path}")
        if wait_adapter:  # the content script marks the page once it has chosen an adapter
            page.wait_for_selector("html[data-ks-adapter]", state="attached", timeout=15000)
        return page

    def badge(self) -> str:
        return self.eval("() => chrome.action.getBadgeText({})")


def content_world_eval(ctx, page, expression: str):
    """Evaluate ``expression`` (awaited, returned by value) in Kindshield's content-script world of
    ``page``'s main frame, through the DevTools protocol: test-only access that no web page has.
    There ``chrome.dom.openOrClosedShadowRoot(host)`` reaches the extension's closed shadow roots."""
    cdp = ctx.new_cdp_session(page)
    try:
        main_frame = cdp.send("Page.getFrameTree")["frameTree"]["frame"]["id"]
        contexts = []
        cdp.on("Runtime.executionContextCreated", lambda e: contexts.append(e["context"]))
        cdp.send("Runtime.enable")  # reports every existing context
        deadline = time.monotonic() + 10
        while True:
            ours = [c for c in contexts if c.get("origin", "").startswith(f"chrome-extension://{EXTENSION_ID}")
                    and c.get("auxData", {}).get("type") == "isolated" and c.get("auxData", {}).get("frameId") == main_frame]
            if ours or time.monotonic() > deadline:
                break
            page.wait_for_timeout(100)
        assert ours, f"no Kindshield content-script world in {page.url}: {[c.get('name') for c in contexts]}"
        r = cdp.send("Runtime.evaluate", {"expression": expression, "contextId": ours[-1]["id"],
                                          "awaitPromise": True, "returnByValue": True})
        if "exceptionDetails" in r:
            raise AssertionError(f"content-world evaluation threw: {r['exceptionDetails'].get('exception', {}).get('description') or r['exceptionDetails']}")
        return r["result"].get("value")
    finally:
        cdp.detach()


class ClosedUi:
    """Kindshield's UI inside the closed shadow root of ``host`` (a selector in the page), reached
    the way no page can: from the content-script world (``chrome.dom.openOrClosedShadowRoot``).
    Clicks are real mouse clicks at the element's place on screen."""

    def __init__(self, ext, page, host: str):
        self.ext, self.page, self.host = ext, page, host

    def _query(self, selector: str | None):
        js = """(() => {
            const host = document.querySelector(%s);
            if (!host) return { host: false };
            const root = chrome.dom.openOrClosedShadowRoot(host);
            if (!root) return { host: true, root: null };
            const all = %s ? [...root.querySelectorAll(%s)] : [root];
            const el = all[0];
            const r = el && el.getBoundingClientRect ? el.getBoundingClientRect() : null;
            return { host: true, root: root.mode, count: all.length,
                     text: el ? (el.innerText ?? el.textContent) : null,
                     texts: all.map((e) => e.innerText ?? e.textContent),
                     attrs: el && el.getAttributeNames ? Object.fromEntries(el.getAttributeNames().map((a) => [a, el.getAttribute(a)])) : null,
                     x: r ? r.x + r.width / 2 : null, y: r ? r.y + r.height / 2 : null };
        })()""" % (json.dumps(self.host), json.dumps(bool(selector)), json.dumps(selector or ""))
        return content_world_eval(self.ext.ctx, self.page, js)

    def mode(self) -> str | None:
        return self._query(None).get("root")

    def count(self, selector: str) -> int:
        return self._query(selector).get("count") or 0

    def text(self, selector: str) -> str:
        got = self._query(selector)
        assert got.get("count"), f"{selector} not in {self.host}'s shadow root: {got}"
        return got["text"]

    def texts(self, selector: str) -> list[str]:
        return self._query(selector).get("texts") or []

    def attr(self, selector: str, name: str):
        got = self._query(selector)
        assert got.get("count"), f"{selector} not in {self.host}'s shadow root: {got}"
        return got["attrs"].get(name)

    def click(self, selector: str) -> None:
        got = self._query(selector)
        assert got.get("count"), f"{selector} not in {self.host}'s shadow root: {got}"
        self.page.mouse.click(got["x"], got["y"])


    def open_copy(self) -> str:
        """Test-only: the root's content cloned (styles too) into an OPEN shadow root of a new
        host, so tools that cannot enter closed roots (axe-core) can check the same markup and CSS.
        Returns the copy's host selector."""
        made = content_world_eval(self.ext.ctx, self.page, """(() => {
            const root = chrome.dom.openOrClosedShadowRoot(document.querySelector(%s));
            if (!root) return false;
            const copy = document.createElement('div');
            copy.setAttribute('data-ks-test-copy', '');
            const open = copy.attachShadow({ mode: 'open' });
            for (const child of root.childNodes) open.appendChild(child.cloneNode(true));
            document.documentElement.appendChild(copy);
            return true;
        })()""" % json.dumps(self.host))
        assert made, f"no closed root under {self.host}"
        return "[data-ks-test-copy]"


def closed_texts(ext, page, host: str) -> list[str]:
    """The text inside the closed shadow root of every element matching ``host`` (document order),
    read from the content-script world."""
    return content_world_eval(ext.ctx, page, """[...document.querySelectorAll(%s)].map((h) => {
        const root = chrome.dom.openOrClosedShadowRoot(h);
        return root ? root.textContent : null;
    })""" % json.dumps(host))


def ax_nodes(ctx, page, role: str | None = None) -> list[dict]:
    """What a screen reader gets: Chromium's accessibility tree of ``page`` (closed shadow roots
    included), as [{role, name}] of the nodes not ignored, optionally of one role."""
    cdp = ctx.new_cdp_session(page)
    try:
        nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        cdp.detach()
    out = []
    for n in nodes:
        if n.get("ignored"):
            continue
        r = (n.get("role") or {}).get("value")
        if role is None or r == role:
            out.append({"role": r, "name": (n.get("name") or {}).get("value", "")})
    return out


def open_context(playwright, ext_dir: Path, profile: Path):
    """Chromium with the unpacked extension at ``ext_dir`` on the profile ``profile`` (reused by a
    test that restarts the browser)."""
    args = [
        f"--disable-extensions-except={ext_dir}", f"--load-extension={ext_dir}",
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--lang=en-US",
    ]
    ctx = playwright.chromium.launch_persistent_context(
        str(profile), executable_path=CHROMIUM, headless=True, args=args,
        viewport={"width": 1100, "height": 900}, locale="en-US")
    sw = ctx.service_workers[0] if ctx.service_workers else ctx.wait_for_event("serviceworker", timeout=20000)
    return ctx, sw


def launch(playwright, tmp_path: Path, server, pages_url, *, capture: bool = False, settings: dict | None = None,
           extra_hosts: tuple = (), grant_localhost: bool = True) -> Ext:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install -y --no-install-recommends chromium")
    ext_dir = extension_copy(tmp_path / "extension", capture=capture, extra_hosts=extra_hosts, grant_localhost=grant_localhost)
    ctx, sw = open_context(playwright, ext_dir, tmp_path / "profile")
    ext = Ext(ctx, sw, server, pages_url)
    assert ext.id == EXTENSION_ID, "the manifest key pins the id"
    # wait for onInstalled to write the defaults, then point the extension at the test server
    deadline = time.monotonic() + 15
    while not ext.eval("async () => Boolean((await chrome.storage.local.get('settings')).settings)"):
        assert time.monotonic() < deadline, "onInstalled never stored the default settings"
        time.sleep(0.1)
    base = {"serverUrl": server.base_url if server else "http://127.0.0.1:9",
            "apiKey": server.api_key if server else "ks_unused", "testMode": True}
    ext.settings(**{**base, **(settings or {})})
    matches = ext.eval("() => self.kindshield.syncContentScripts()")
    assert ("http://localhost/*" in matches) == grant_localhost, matches
    return ext


@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture
def ext(playwright_instance, tmp_path, ks_server, pages_url, request):
    """A fresh browser profile with the extension, set up for the test server."""
    e = launch(playwright_instance, tmp_path, ks_server, pages_url)
    yield e
    save_screenshot(e, request.node.name)
    e.ctx.close()


@pytest.fixture
def launch_ext(playwright_instance, tmp_path, pages_url, request):
    """Launch with options: ``launch_ext(server, capture=True, settings={...})``."""
    made = []

    def factory(server, *, capture=False, settings=None, sub="a", extra_hosts=(), grant_localhost=True):
        d = tmp_path / sub
        d.mkdir()
        e = launch(playwright_instance, d, server, pages_url, capture=capture, settings=settings,
                   extra_hosts=extra_hosts, grant_localhost=grant_localhost)
        made.append(e)
        return e

    yield factory
    for i, e in enumerate(made):
        save_screenshot(e, request.node.name + (f"-{i}" if i else ""))
        e.ctx.close()


def save_screenshot(e: Ext, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = e.page or (e.ctx.pages[-1] if e.ctx.pages else None)
    if page is None or page.is_closed():
        return
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", name)[:120]
    try:
        page.screenshot(path=str(ARTIFACTS / f"{safe}.png"), full_page=True)
    except Exception:  # a screenshot must never hide the test's own result
        pass


@pytest.fixture
def fresh_key(ks_server, request):
    """An API key of a user of its own, for tests that change server-side state."""
    import uuid

    return ks_server.create_key(f"e2e-{uuid.uuid4().hex[:10]}")


def fixture_texts() -> dict[str, bool]:
    """Every comment/message text on the fixture pages -> whether it is abusive."""
    from . import make_pages as mp

    return dict(mp.ALL_TEXTS)


@pytest.fixture(scope="session")
def model_separates(ks_server):
    """The blur, shield and nudge tests assume the model tells the fixture texts apart (they are
    chosen to be unambiguous). When it does not, say so once, with the scores, instead of letting
    dozens of browser tests fail for the same reason."""
    texts = fixture_texts()
    r = ks_server.post("/v1/analyze", json={"texts": list(texts), "lang": "auto"})
    r.raise_for_status()
    body = r.json()
    wrong = [f"  {'abusive' if texts[t] else 'benign '} toxic={res['toxic']} score={res['score']:.3f} severity={res['severity']}: {t}"
             for t, res in zip(texts, body["results"]) if bool(res["toxic"]) != texts[t]]
    if wrong:
        pytest.fail(f"model {body.get('model')} does not separate the fixture texts at standard sensitivity:\n" + "\n".join(wrong),
                    pytrace=False)
    return body
