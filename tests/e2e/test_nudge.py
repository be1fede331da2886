"""The nudge before posting: a hurtful draft is held while it is prechecked, a dialog offers
"edit" or "post anyway", nothing is posted until the choice, and the outcome reaches the
server. A kind draft posts straight through. Covers a button, a classic form and Enter."""
from __future__ import annotations

import sqlite3

import pytest

from .conftest import ABUSIVE_EN, BENIGN_EN, ClosedUi

DIALOG = "[data-ks-ui=nudge]"


def posted(page):
    return page.evaluate("() => window.__posted.slice()")


def nudge_outcomes(server):
    with sqlite3.connect(server.db_path) as db:
        return [r[0] for r in db.execute("SELECT outcome FROM nudges ORDER BY created_at")]


def stats(server):
    return server.get("/v1/stats?days=1").json()["totals"]


def type_into(page, selector, text):
    page.click(selector)
    page.keyboard.insert_text(text)


COMPOSERS = [  # page, [clicks to open the box], editor, how to post: every composer of the fixture pages
    ("x.html", [], "[data-testid=tweetTextarea_0]", ("click", "[data-testid=tweetButtonInline]")),
    ("i/chat/x.html", [], "[data-testid=dm-composer-textarea]", ("press", "Enter")),
    ("bilibili.html", [], ".brt-editor", ("click", "#pub button")),  # two shadow roots down (Playwright's CSS pierces them)
    ("messages/bilibili.html#/whisper/mid1", [], "main [contenteditable]", ("click", "text=发送")),
    ("douyin.html", [], ".public-DraftEditor-content", ("press", "Enter")),  # ignores synthetic keys: sent through 发送
    ("weibo.html", [], "textarea[class*=Form_input]", ("click", "[class*=Tool_btn]")),
    ("zhihu.html", [], ".Comments-container [contenteditable]", ("click", ".Comments-container button.Button")),
    ("youtube.html", ["#placeholder-area"], "#contenteditable-root", ("click", "#submit-button button")),
    ("reddit.html", [], "shreddit-composer [role=textbox]", ("click", "button[slot=submit-button]")),
    ("wordpress.html", [], "#comment", ("click", "#submit")),
    ("discourse.html", [], "textarea.d-editor-input", ("click", "#reply-control button.create")),
    ("phpbb.html", [], "textarea[name=message]", ("click", "input[name=post]")),
    ("coral.html", [], ".coral-rte-content", ("click", ".coral-createComment-submit")),
]


def do_post(page, how):
    kind, what = how
    if kind == "click":
        page.click(what)
    else:
        page.keyboard.press(what)


@pytest.mark.parametrize("path,opens,editor,how", COMPOSERS, ids=[c[0] for c in COMPOSERS])
def test_nudge_holds_the_post_until_the_choice(model_separates, ext, path, opens, editor, how):
    server = ext.server
    before = stats(server)
    page = ext.open(path)
    for sel in opens:
        page.click(sel)
    type_into(page, editor, ABUSIVE_EN)
    do_post(page, how)
    dialog = page.locator(DIALOG)
    dialog.wait_for(state="attached", timeout=15000)
    assert posted(page) == [], "nothing posted while the dialog is open"
    ui = ClosedUi(ext, page, DIALOG)  # a closed shadow root: reached from the content-script world
    zh = page.get_attribute("html", "lang").startswith("zh")
    assert ui.text("[role=alertdialog] h2") == ("发布之前" if zh else "Before you post"), "in the page's language"
    assert ui.text("[role=alertdialog] .message").strip()
    page.wait_for_timeout(500)
    assert posted(page) == [], "still held"

    # "Edit": nothing is posted, the draft stays, the outcome is recorded as edited
    ui.click("button.edit")  # a real click where the button is on screen
    dialog.wait_for(state="detached")
    assert posted(page) == []
    assert ABUSIVE_EN in draft(page, editor), "the draft is still there"
    # the same draft again: "Post anyway" lets it through
    page.click(editor)
    do_post(page, how)
    dialog.wait_for(state="attached", timeout=15000)
    assert posted(page) == []
    ui.click("button.anyway")
    dialog.wait_for(state="detached")
    page.wait_for_function("() => window.__posted.length === 1", timeout=5000)
    assert posted(page) == [ABUSIVE_EN]

    # both outcomes reached the server
    page.wait_for_timeout(500)
    outcomes = nudge_outcomes(server)[-2:]
    assert outcomes == ["edited", "posted_anyway"], outcomes
    after = stats(server)
    assert after["nudges_shown"] == before["nudges_shown"] + 2
    assert after["nudges_heeded"] == before["nudges_heeded"] + 1


def test_kind_draft_posts_without_a_dialog(model_separates, ext):
    page = ext.open("x.html")
    type_into(page, "[data-testid=tweetTextarea_0]", BENIGN_EN)
    page.click("[data-testid=tweetButtonInline]")
    page.wait_for_function("() => window.__posted.length === 1", timeout=15000)
    assert posted(page) == [BENIGN_EN]
    assert page.locator(DIALOG).count() == 0


def draft(page, editor):
    loc = page.locator(editor).first
    return loc.evaluate("(el) => el.tagName === 'TEXTAREA' ? el.value : el.textContent")


def test_enter_only_composer_that_ignores_synthetic_keys_never_loses_the_draft(model_separates, ext):
    """Douyin's chat editor sends on a real Enter only and has no send button: after "post
    anyway" the draft stays, the page says to press Enter again, and that Enter goes through."""
    page = ext.open("chat/douyin.html")
    editor = "[class*=imChatEditorContainer] [contenteditable]"
    type_into(page, editor, ABUSIVE_EN)
    page.keyboard.press("Enter")
    dialog = page.locator(DIALOG)
    dialog.wait_for(state="attached", timeout=15000)
    ClosedUi(ext, page, DIALOG).click("button.anyway")
    note = page.locator("[data-ks-ui=nudge-note]")
    note.wait_for(state="attached", timeout=5000)
    said = ClosedUi(ext, page, "[data-ks-ui=nudge-note]").text(".note")
    assert "Enter" in said or "回车" in said, said
    assert posted(page) == [] and ABUSIVE_EN in draft(page, editor), "never a lost draft"
    page.click(editor)
    page.keyboard.press("Enter")
    page.wait_for_function("() => window.__posted.length === 1", timeout=5000)
    assert posted(page) == [ABUSIVE_EN]
    assert page.locator(DIALOG).count() == 0


def test_chinese_page_gets_a_chinese_dialog(model_separates, ext):
    page = ext.open("weibo.html")
    type_into(page, "textarea[class*=Form_input]", "你就是个废物，蠢货，赶紧去死吧")
    page.click("[class*=Tool_btn]")
    dialog = page.locator(DIALOG)
    dialog.wait_for(state="attached", timeout=15000)
    ui = ClosedUi(ext, page, DIALOG)
    assert ui.text("h2") == "发布之前"
    assert ui.text("button.edit") == "修改"
    ui.click("button.edit")
    assert posted(page) == []
