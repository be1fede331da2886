"""Where the API key lives (issue 34, item 9): never in chrome.storage.local, which content scripts
(a page's context) can read. The worker keeps it in chrome.storage.session (trusted contexts only)
and in the extension origin's IndexedDB, so it survives a browser restart; a key an older version
left in chrome.storage.local moves out at once. Checked from Kindshield's own content-script world
of a protected page (through the DevTools protocol) and from the page itself."""
from __future__ import annotations

import time

from .conftest import EXTENSION_ID, Ext, content_world_eval, open_context
from .test_blur import wait_processed

CONTENT_WORLD_READS = """(async () => {
    const out = { local: JSON.stringify(await chrome.storage.local.get(null)) };
    try { out.session = JSON.stringify(await chrome.storage.session.get(null)); } catch (e) { out.sessionError = String(e.message || e); }
    out.databases = (await indexedDB.databases()).map((d) => d.name);
    out.origin = location.origin;
    return out;
})()"""


def test_a_content_script_cannot_read_the_key(model_separates, ext):
    key = ext.server.api_key
    assert ext.api_key() == key
    page = ext.open("bilibili.html")
    wait_processed(page)  # the worker used the key: the page's abusive comments are hidden
    assert page.locator("[data-ks-ui=label]").count() >= 1

    seen = content_world_eval(ext.ctx, page, CONTENT_WORLD_READS)
    assert seen["origin"].startswith("http://localhost"), seen["origin"]
    assert "settings" in seen["local"], "the content script reads chrome.storage.local (settings) ..."
    assert key not in seen["local"] and key[-12:] not in seen["local"], "... but not the key"
    assert "session" not in seen and "not allowed" in seen["sessionError"].lower(), seen
    assert "kindshield-secrets" not in seen["databases"], "the key store is the extension origin's, not the page's"

    page_reads = page.evaluate("""async () => ({
        databases: (await indexedDB.databases()).map((d) => d.name),
        text: document.documentElement.outerHTML,
    })""")
    assert "kindshield-secrets" not in page_reads["databases"] and key not in page_reads["text"]


def test_an_old_key_in_local_storage_moves_out_and_survives_a_restart(model_separates, launch_ext, ks_server, fresh_key, playwright_instance, tmp_path):
    ext = launch_ext(ks_server, settings={"apiKey": ""})
    assert ext.api_key() == ""
    # what an older version left: the key inside the settings in chrome.storage.local
    ext.eval("""async (key) => {
        const got = await chrome.storage.local.get('settings');
        await chrome.storage.local.set({ settings: { ...got.settings, apiKey: key } });
    }""", fresh_key)
    deadline = time.monotonic() + 10
    while "apiKey" in ext.eval("async () => (await chrome.storage.local.get('settings')).settings"):
        assert time.monotonic() < deadline, "the key stayed in chrome.storage.local"
        time.sleep(0.1)
    assert ext.api_key() == fresh_key
    mark = ext.eval("async () => (await chrome.storage.local.get('keyMark')).keyMark")
    assert len(mark["fingerprint"]) == 16 and mark["fingerprint"] not in fresh_key, "a fingerprint, not the key"
    assert fresh_key not in str(ext.eval("async () => await chrome.storage.local.get(null)"))

    # restart the browser on the same profile: the session copy is gone, IndexedDB's is not
    ext.ctx.close()
    ctx, sw = open_context(playwright_instance, tmp_path / "a" / "extension", tmp_path / "a" / "profile")
    try:
        again = Ext(ctx, sw, ks_server, ext.pages_url)
        assert again.id == EXTENSION_ID
        in_db = again.eval("""() => new Promise((resolve, reject) => {
            const req = indexedDB.open('kindshield-secrets');
            req.onerror = () => reject(req.error);
            req.onsuccess = () => {
                const get = req.result.transaction('secrets').objectStore('secrets').get('apiKey');
                get.onsuccess = () => { resolve(get.result ?? null); req.result.close(); };
            };
        })""")
        assert in_db == fresh_key, "the lasting copy is in the extension origin's IndexedDB"
        status = again.eval("() => self.kindshield.status()")
        assert status["hasKey"] is True and status["error"] is None and status["protection"] is not None, status
        assert again.api_key() == fresh_key
        assert "apiKey" not in again.eval("async () => (await chrome.storage.local.get('settings')).settings")
        page = again.open("x.html")
        wait_processed(page)
        assert page.locator("[data-ks-ui=label]").count() == 2, "protected after the restart, with the stored key"
    finally:
        ctx.close()
