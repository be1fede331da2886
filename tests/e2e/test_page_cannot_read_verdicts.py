"""What a hostile site can read of Kindshield's verdicts in its own DOM: after the real extension
blurred its abusive comments, no element carries a score or a reason attribute (they stay in the
content script's memory), so the page cannot harvest which comments were judged how."""
from __future__ import annotations

from .test_blur import wait_processed

ATTRS_JS = """() => {
    const out = [];
    const walk = (root) => { for (const el of root.querySelectorAll('*')) {
        for (const a of el.getAttributeNames()) if (a.startsWith('data-ks-')) out.push(a);
        if (el.shadowRoot) walk(el.shadowRoot);
    } };
    walk(document);
    return [...new Set(out)].sort();
}"""


def test_no_scores_or_reasons_in_the_page_dom(model_separates, ext):
    page = ext.open("bilibili.html")
    wait_processed(page)
    attrs = page.evaluate(ATTRS_JS)
    assert "data-ks-ui" in attrs                      # the labels are there ...
    assert "data-ks-score" not in attrs and "data-ks-reason" not in attrs, attrs   # ... the verdicts are not


# ---------------------------------------------------------------- issue 34, item 9
def test_page_cannot_fetch_the_extensions_files(model_separates, ext):
    """Nothing is web-accessible: a site can neither detect Kindshield by fetching one of its files
    nor read its code (the content script is one bundle that the worker registers)."""
    page = ext.open("x.html")
    wait_processed(page)  # the extension is running on this page
    got = page.evaluate("""async (id) => {
        const out = {};
        for (const path of ['content/bundle.js', 'content/app.js', 'content/main.js', 'lib/messages.js',
                            'lib/adapters/index.js', 'manifest.json', 'icons/icon16.png']) {
            try { const r = await fetch(`chrome-extension://${id}/${path}`); out[path] = `HTTP ${r.status}`; }
            catch (e) { out[path] = 'refused'; }
        }
        return out;
    }""", ext.id)
    assert set(got.values()) == {"refused"}, got


HOSTILE_INIT = """(() => {
    // the page wraps attachShadow before anything else runs, hoping to keep every root it can
    window.__roots = [];
    const real = Element.prototype.attachShadow;
    Element.prototype.attachShadow = function (init) {
        const root = real.call(this, { ...init, mode: 'open' });
        window.__roots.push(root);
        return root;
    };
})();"""

HOSTILE_READ = """() => {
    const host = document.querySelector('[data-ks-ui=nudge]');
    const texts = [];
    const walk = (root) => { for (const el of root.querySelectorAll('*')) { if (el.shadowRoot) { texts.push(el.shadowRoot.textContent); walk(el.shadowRoot); } } };
    walk(document);
    return {
        host: Boolean(host),
        shadowRoot: host ? host.shadowRoot !== null : null,
        wrapped: window.__roots.filter((r) => r.host && r.host.closest && r.host.closest('[data-ks-ui]')).length,
        html: document.documentElement.outerHTML + texts.join(' '),
        innerText: document.body.innerText,
    };
}"""


def test_page_cannot_read_the_nudge_through_its_shadow_root(model_separates, ext):
    """The nudge dialog holds the server's verdict on the person's draft (message, hurtful words).
    Its shadow root is closed and made in the content script's world: the page's own wrapper of
    attachShadow never sees it, host.shadowRoot is null, and no text of it is in the page's DOM."""
    from .conftest import ABUSIVE_EN, ClosedUi

    page = ext.ctx.new_page()
    page.add_init_script(HOSTILE_INIT)
    page = ext.open("x.html", page=page)
    assert page.evaluate("() => Array.isArray(window.__roots)"), "the page's wrapper is installed"
    page.click("[data-testid=tweetTextarea_0]")
    page.keyboard.insert_text(ABUSIVE_EN)
    page.click("[data-testid=tweetButtonInline]")
    page.locator("[data-ks-ui=nudge]").wait_for(state="attached", timeout=15000)

    ui = ClosedUi(ext, page, "[data-ks-ui=nudge]")
    assert ui.mode() == "closed"
    message = ui.text("[role=alertdialog] .message").strip()
    title = ui.text("[role=alertdialog] h2").strip()
    assert message and title == "Before you post", "the dialog is there, with the verdict's words"

    seen = page.evaluate(HOSTILE_READ)
    assert seen["host"] and seen["shadowRoot"] is False, seen
    assert seen["wrapped"] == 0, "the page's attachShadow wrapper never ran for Kindshield's UI"
    for secret in (message, title):
        assert secret not in seen["html"] and secret not in seen["innerText"], secret
    ui.click("button.edit")
    page.locator("[data-ks-ui=nudge]").wait_for(state="detached")


def test_page_cannot_read_the_reason_shown_after_why(model_separates, ext):
    """After the person clicks "Why?", the reason and the hurtful words are on screen for them, in
    a closed shadow root: the page's DOM, its text and its attachShadow wrapper get none of it."""
    from .conftest import closed_texts

    page = ext.ctx.new_page()
    page.add_init_script(HOSTILE_INIT)
    page = ext.open("x.html", page=page)
    wait_processed(page)
    page.locator("[data-expect='abusive'] [data-ks-ui=why]").first.click()
    page.locator("[data-ks-ui=why-text]").wait_for(state="attached", timeout=5000)
    [reason] = closed_texts(ext, page, "[data-ks-ui=why-text]")
    assert reason and "Words that caused this" in reason, reason

    seen = page.evaluate("""() => {
        const box = document.querySelector('[data-ks-ui=why-text]');
        const texts = [];
        const walk = (root) => { for (const el of root.querySelectorAll('*')) if (el.shadowRoot) { texts.push(el.shadowRoot.textContent); walk(el.shadowRoot); } };
        walk(document);
        return { shadowRoot: box.shadowRoot !== null, own: box.textContent + box.innerText,
                 wrapped: window.__roots.filter((r) => r.host && r.host.closest && r.host.closest('[data-ks-ui]')).length,
                 all: document.documentElement.outerHTML + document.body.innerText + texts.join(' ') };
    }""")
    assert seen["shadowRoot"] is False and seen["own"] == "" and seen["wrapped"] == 0, seen
    assert "Words that caused this" not in seen["all"] and reason not in seen["all"]
