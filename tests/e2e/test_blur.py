"""Blurring on pages rebuilt from ../shared/notes/site-markup.md (see make_pages.py): abusive
comments blurred with a reason (inside open shadow roots too), benign ones untouched, benign
replies under an abusive comment untouched, hidden pre-rendered nodes and a forum's opening post
left alone, "show anyway", the words on hover, comments that arrive later, and a virtual list
that reuses its nodes."""
from __future__ import annotations

import pytest

from . import make_pages as mp
from .conftest import ax_nodes, closed_texts

PAGES = {  # page -> adapter the content script must pick
    "bilibili.html": "bilibili", "bilibili-v2.html": "bilibili", "bilibili-dynamic.html": "bilibili",
    "weibo.html": "weibo", "douyin.html": "douyin", "zhihu.html": "zhihu",
    "youtube.html": "youtube", "youtube-mobile.html": "youtube", "x.html": "x", "reddit.html": "reddit",
    "wordpress.html": "generic", "discourse.html": "generic", "phpbb.html": "generic", "coral.html": "generic",
}

# Every [data-expect] element of the page, open shadow roots included; what it "owns" is itself and
# everything below it (through shadow roots) that is not another [data-expect] element's.
STATE_JS = """() => {
    const all = [];
    const walk = (root) => { for (const el of root.querySelectorAll('*')) {
        if (el.hasAttribute('data-expect')) all.push(el);
        if (el.shadowRoot) walk(el.shadowRoot);
    } };
    walk(document);
    const own = (el) => {
        const out = [el];
        const visit = (node) => {
            const kids = [...node.children, ...(node.shadowRoot ? node.shadowRoot.children : [])];
            for (const k of kids) { if (k.hasAttribute('data-expect')) continue; out.push(k); visit(k); }
        };
        visit(el);
        return out;
    };
    return all.map((el) => {
        const mine = own(el);
        const blurredEls = mine.filter((x) => x.classList.contains('ks-blurred'));
        return {
            expect: el.dataset.expect,
            blurred: blurredEls.length > 0,
            labels: mine.filter((x) => x.dataset && x.dataset.ksUi === 'label').length,
            blurredText: blurredEls.map((x) => x.textContent).join(' | '),
            text: mine.filter((x) => !x.closest('[data-ks-ui]')).map((x) => [...x.childNodes].filter((n) => n.nodeType === 3).map((n) => n.data).join('')).join(''),
        };
    });
}"""

PROCESSED_JS = "(" + STATE_JS + """)().filter((s) => s.expect === 'abusive').length > 0
    && (""" + STATE_JS + """)().every((s) => (s.expect === 'abusive') === (s.labels === 1))"""


def state(page_or_frame):
    return page_or_frame.evaluate(STATE_JS)


def wait_processed(page_or_frame, timeout=30000):
    """Until every abusive item carries exactly one label and nothing else carries one."""
    page_or_frame.wait_for_function(f"() => {PROCESSED_JS}", timeout=timeout)


def check(items):
    assert items, "the page has marked items"
    for it in items:
        if it["expect"] == "abusive":
            assert it["blurred"] and it["labels"] == 1, it
        else:
            assert not it["blurred"] and it["labels"] == 0, it


@pytest.mark.parametrize("path", list(PAGES))
def test_abusive_comments_blurred_benign_untouched(model_separates, ext, path):
    page = ext.open(path)
    assert page.get_attribute("html", "data-ks-adapter") == PAGES[path]
    wait_processed(page)
    page.wait_for_timeout(400)  # let any stray decision land before checking the benign ones
    items = state(page)
    check(items)
    assert sum(1 for i in items if i["expect"] == "benign") >= 2
    label = page.locator("[data-ks-ui=label]").first  # Playwright's CSS reaches into open shadow roots
    assert label.locator(".ks-what").inner_text() in ("Hidden for you", "已为你隐藏")


def test_nested_benign_replies_under_an_abusive_comment_stay_visible(model_separates, ext):
    """Bilibili thread 102: abusive comment, two benign replies, each two shadow roots deeper."""
    page = ext.open("bilibili.html")
    wait_processed(page)
    replies = page.evaluate("""() => {
        const feed = document.querySelector('bili-comments').shadowRoot;
        const thread = [...feed.querySelectorAll('bili-comment-thread-renderer')].find((t) => t.__data.rpid === '102');
        const top = thread.shadowRoot.querySelector('bili-comment-renderer');
        const reps = thread.shadowRoot.querySelector('bili-comment-replies-renderer').shadowRoot.querySelectorAll('bili-comment-reply-renderer');
        const contents = (r) => r.shadowRoot.querySelector('bili-rich-text').shadowRoot.querySelector('#contents');
        return { top: contents(top).classList.contains('ks-blurred'),
                 replies: [...reps].map((r) => contents(r).classList.contains('ks-blurred')) };
    }""")
    assert replies == {"top": True, "replies": [False, False]}


def test_wordpress_blurs_the_text_not_the_byline_date_or_reply_link(model_separates, ext):
    page = ext.open("wordpress.html")
    wait_processed(page)
    blurred = page.evaluate("""() => [...document.querySelectorAll('.ks-blurred')].map((el) => ({
        cls: el.className, inContent: Boolean(el.closest('.comment-content')),
        meta: el.closest('.comment-body').querySelector('.comment-meta').matches('.ks-blurred, .ks-blurred *'),
        reply: el.closest('.comment-body').querySelector('.reply').matches('.ks-blurred, .ks-blurred *') }))""")
    assert len(blurred) == 2
    for b in blurred:
        assert b["inContent"] and not b["meta"] and not b["reply"], b


def test_show_and_why(model_separates, ext):
    """The words come only after an explicit "Why?" click (never on hover, never in an attribute);
    "Show" reveals the text and puts it back into the accessibility tree; "Hide again" undoes it."""
    page = ext.open("x.html")
    wait_processed(page)
    item = page.locator("[data-expect='abusive']").first
    text_el = item.locator("[data-testid=tweetText]")
    assert "ks-blurred" in text_el.get_attribute("class")
    assert text_el.get_attribute("aria-hidden") == "true"
    label = item.locator("[data-ks-ui=label]")
    assert label.count() == 1
    label.hover()
    page.wait_for_timeout(300)
    assert label.locator("[data-ks-ui=why-text]").count() == 0, "nothing appears on hover"
    assert "stupid" not in label.inner_text().lower()
    why = label.locator("[data-ks-ui=why]")
    assert why.get_attribute("aria-expanded") == "false"
    why.click()
    why_text = label.locator("[data-ks-ui=why-text]")
    assert why_text.is_visible()
    assert why.get_attribute("aria-expanded") == "true"
    assert why_text.inner_text() == "" and why_text.evaluate("(el) => el.shadowRoot") is None, "not in the page's DOM"
    [said] = closed_texts(ext, page, "[data-ks-ui=why-text]")  # shown in a closed shadow root
    assert "Words that caused this" in said
    assert any(w in said.lower() for w in ("stupid", "worthless", "idiot"))
    assert any("Words that caused this" in n["name"] for n in ax_nodes(ext.ctx, page)), "a screen reader still gets it"
    why.click()
    assert label.locator("[data-ks-ui=why-text]").count() == 0
    show = label.locator("[data-ks-ui=show]")
    assert show.inner_text() == "Show"
    assert "bob_77" in show.get_attribute("aria-label"), "the control names the comment it acts on"
    show.click()
    assert "ks-blurred" not in (text_el.get_attribute("class") or "")
    assert text_el.get_attribute("aria-hidden") is None
    assert show.inner_text() == "Hide again"
    assert mp.ABUSIVE_EN in text_el.inner_text()
    show.click()
    assert "ks-blurred" in text_el.get_attribute("class")
    assert not text_el.is_visible(), "hidden means not visible at all (no readable blur)"


LATER = ["bilibili.html", "douyin.html", "zhihu.html", "youtube.html", "x.html", "reddit.html",
         "wordpress.html", "discourse.html", "coral.html"]


@pytest.mark.parametrize("path", LATER)
def test_comments_added_later_are_processed(model_separates, ext, path):
    page = ext.open(path)
    wait_processed(page)
    before = state(page)
    page.click("#load-more")
    page.wait_for_function(f"() => ({STATE_JS})().length > {len(before)}")
    wait_processed(page)
    page.wait_for_timeout(400)
    after = state(page)
    check(after)
    added = len(after) - len(before)
    assert added >= 2
    late = [a for a in after if a["text"] not in {b["text"] for b in before}]
    assert {x["expect"] for x in late} >= {"abusive"}, late


def test_weibo_virtual_scroller_reused_nodes_are_re_evaluated(model_separates, ext):
    page = ext.open("weibo.html")
    wait_processed(page)
    check(state(page))
    seen_flips = 0
    for _ in range(2):
        before = state(page)
        page.click("#scroll-down")  # the same nodes now show other comments
        page.wait_for_function(f"() => {PROCESSED_JS}", timeout=30000)
        page.wait_for_timeout(600)
        after = state(page)
        check(after)  # stale blurs removed, new abusive texts blurred, never two labels
        seen_flips += sum(1 for b, a in zip(before, after) if b["expect"] != a["expect"])
        for a in after:
            if a["blurred"]:
                assert a["blurredText"].strip() in mp.ALL_TEXTS and mp.ALL_TEXTS[a["blurredText"].strip()], a
    assert seen_flips >= 2, "the fixture really reused nodes for texts of the other kind"


def test_douyin_hidden_prerendered_items_are_left_alone(model_separates, ext):
    page = ext.open("douyin.html")
    wait_processed(page)
    hidden = [s for s in state(page) if s["expect"] == "hidden"]
    assert hidden and not any(h["blurred"] or h["labels"] for h in hidden)


def test_chinese_page_uses_chinese_labels(model_separates, ext):
    page = ext.open("weibo.html")
    wait_processed(page)
    assert page.locator("[data-ks-ui=show]").first.inner_text() == "显示"
    assert page.locator("[data-ks-ui=label] .ks-what").first.inner_text() == "已为你隐藏"


def test_disqus_frame_is_processed_once_its_site_is_granted(model_separates, launch_ext, ks_server):
    """The embed is cross-origin (127.0.0.1 vs the page's localhost): the content script runs in
    that frame only when the person has granted the frame's site."""
    ext = launch_ext(ks_server, extra_hosts=("http://127.0.0.1/*",))
    page = ext.open("disqus.html")
    frame = None
    for _ in range(100):
        frame = next((f for f in page.frames if "/disqus/embed/comments/" in f.url), None)
        if frame:
            break
        page.wait_for_timeout(100)
    assert frame is not None
    frame.wait_for_selector("html[data-ks-adapter]", state="attached", timeout=15000)
    wait_processed(frame)
    check(state(frame))


def test_disqus_frame_untouched_without_the_grant(model_separates, ext):
    page = ext.open("disqus.html")
    page.wait_for_timeout(2500)
    frame = next(f for f in page.frames if "/disqus/embed/comments/" in f.url)
    assert frame.evaluate("() => document.documentElement.dataset.ksAdapter || null") is None
    assert not any(s["blurred"] for s in state(frame))
