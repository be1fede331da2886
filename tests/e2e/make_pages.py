"""Writes tests/e2e/pages/: local pages reproducing the comment, message and composer markup
of each supported site and of a few generic blogs and forums. Run it after changing the texts:
``python tests/e2e/make_pages.py``. The node tests (extension/tests) read the same pages.

Every comment or message the extension should look at carries data-expect="abusive|benign" on
the element the site's adapter treats as the item; late ones (added by "load more") sit in a
<template id="more">. Pages declare the markup they reproduce with data-kindshield-site, which
the extension honours only in its test mode.
"""
from __future__ import annotations

import html
from pathlib import Path

PAGES = Path(__file__).resolve().parent / "pages"

ABUSIVE_EN = "You are a worthless idiot, go kill yourself"
ABUSIVE_EN2 = "Shut up you stupid ugly loser, nobody wants you here"
BENIGN_EN = "Thanks for sharing this recipe, it looks delicious"
BENIGN_EN2 = "Great video, I learned a lot about gardening today"
ABUSIVE_ZH = "你就是个废物，蠢货，赶紧去死吧"
ABUSIVE_ZH2 = "滚吧你这个傻逼，没人想看到你"
BENIGN_ZH = "谢谢分享，这个菜谱看起来很好吃"
BENIGN_ZH2 = "视频拍得真好，今天学到了很多园艺知识"

e = html.escape


def page(site: str, title: str, lang: str, body: str) -> str:
    return f"""<!doctype html>
<html lang="{lang}" data-kindshield-site="{site}">
<head>
<meta charset="utf-8">
<link rel="icon" href="data:,">
<title>{e(title)}</title>
<link rel="stylesheet" href="/fixture.css">
</head>
<body>
{body}
<ul id="posted" aria-label="posted"></ul>
<script src="/fixture.js"></script>
</body>
</html>
"""


# ---------------------------------------------------------------- comment markup per site
def weibo_c(text, who, exp):
    return (f'<div class="item1"><div class="item1in" data-expect="{exp}"><div class="con1">'
            f'<div class="text"><a href="/u/1" usercard="1">{e(who)}</a>:<span>{e(text)}</span></div>'
            f'<div class="info">今天 10:24</div></div></div></div>')


def bilibili_c(text, who, exp):
    return (f'<div class="reply-item"><div class="root-reply-container" data-expect="{exp}">'
            f'<div class="user-info"><div class="user-name">{e(who)}</div></div>'
            f'<div class="root-reply"><span class="reply-content-container"><span class="reply-content">{e(text)}</span></span>'
            f'<div class="reply-info"><span class="reply-time">2024-05-01</span></div></div></div></div>')


def douyin_c(text, who, exp):
    return (f'<div data-e2e="comment-item" data-expect="{exp}"><div class="comment-user" data-e2e="comment-user">{e(who)}</div>'
            f'<p class="comment-text"><span data-e2e="comment-text">{e(text)}</span></p><span>3 小时前</span></div>')


def zhihu_c(text, who, exp):
    return (f'<div class="CommentItemV2" data-expect="{exp}"><div class="CommentItemV2-meta">'
            f'<a class="UserLink-link" href="/people/x">{e(who)}</a></div>'
            f'<div class="CommentItemV2-content"><div class="CommentContent">{e(text)}</div></div></div>')


def youtube_c(text, who, exp):
    return (f'<ytd-comment-thread-renderer><ytd-comment-view-model id="comment" data-expect="{exp}">'
            f'<div id="header"><a id="author-text" href="/@x"><span>@{e(who)}</span></a></div>'
            f'<div id="expander"><yt-attributed-string id="content-text"><span>{e(text)}</span></yt-attributed-string></div>'
            f'</ytd-comment-view-model></ytd-comment-thread-renderer>')


def x_c(text, who, exp):
    return (f'<div data-testid="cellInnerDiv"><article data-testid="tweet" role="article" data-expect="{exp}">'
            f'<div data-testid="User-Name"><a href="/{e(who)}"><span>{e(who)}</span></a></div>'
            f'<div data-testid="tweetText" lang="en" dir="auto"><span>{e(text)}</span></div>'
            f'<div role="group"><button data-testid="reply" aria-label="Reply">↩</button></div></article></div>')


def reddit_c(text, who, exp):
    return (f'<shreddit-comment author="{e(who)}" depth="0" data-expect="{exp}">'
            f'<div slot="commentMeta"><a href="/user/{e(who)}">{e(who)}</a></div>'
            f'<div slot="comment" id="t1-comment-rtjson-content"><p>{e(text)}</p></div></shreddit-comment>')


def blog_c(text, who, exp):
    return (f'<li class="comment" data-expect="{exp}"><article class="comment-body">'
            f'<footer class="comment-meta"><div class="comment-author vcard"><b class="fn">{e(who)}</b></div></footer>'
            f'<div class="comment-content"><p>{e(text)}</p></div></article></li>')


def forum_c(text, who, exp):
    return (f'<div class="topic-post" data-expect="{exp}"><div class="names"><span class="username">{e(who)}</span></div>'
            f'<div class="cooked"><p>{e(text)}</p></div></div>')


def schema_c(text, who, exp):
    return (f'<div itemprop="comment" itemscope itemtype="https://schema.org/Comment" data-expect="{exp}">'
            f'<span itemprop="author">{e(who)}</span><div itemprop="text">{e(text)}</div></div>')


SITES = {
    # name: (adapter, title, lang, comment fn, list wrapper open/close, composer html, texts)
    "weibo": ("weibo", "微博正文 - 微博", "zh-CN", weibo_c, '<div class="wbpro-list">', "</div>",
              '<div class="wbpro-form"><textarea class="Form_input" placeholder="发布你的评论"></textarea>'
              '<button type="submit" class="woo-button-main">评论</button></div>', "zh"),
    "bilibili": ("bilibili", "视频 - 哔哩哔哩", "zh-CN", bilibili_c, '<div class="reply-list">', "</div>",
                 '<div class="reply-box"><textarea class="reply-box-textarea" placeholder="发一条友善的评论"></textarea>'
                 '<div class="reply-box-send"><span class="send-text">发布</span></div></div>', "zh"),
    "douyin": ("douyin", "抖音", "zh-CN", douyin_c, '<div data-e2e="comment-list">', "</div>",
               '<div data-e2e="comment-input"><div contenteditable="true" role="textbox" aria-label="留下你的精彩评论吧"></div>'
               '<span data-e2e="comment-post" role="button">发送</span></div>', "zh"),
    "zhihu": ("zhihu", "知乎", "zh-CN", zhihu_c, '<div class="Comments-container"><div class="CommentListV2">', "</div></div>",
              '<div class="CommentEditorV2"><div class="CommentEditorV2-inputWrap"><div contenteditable="true" role="textbox"></div></div>'
              '<button type="button" class="Button CommentEditorV2-singleButton">发布</button></div>', "zh"),
    "youtube": ("youtube", "Gardening - YouTube", "en", youtube_c, '<ytd-item-section-renderer id="sections"><div id="contents">', "</div></ytd-item-section-renderer>",
                '<ytd-commentbox><div id="contenteditable-root" contenteditable="true" aria-label="Add a comment…"></div>'
                '<ytd-button-renderer id="submit-button"><button aria-label="Comment">Comment</button></ytd-button-renderer></ytd-commentbox>', "en"),
    "x": ("x", "Post / X", "en", x_c, '<section aria-labelledby="accessible-list-0"><div>', "</div></section>",
          '<div data-testid="inline-reply"><div data-testid="tweetTextarea_0" contenteditable="true" role="textbox"></div>'
          '<button data-testid="tweetButtonInline" type="button">Reply</button></div>', "en"),
    "reddit": ("reddit", "r/cooking - Reddit", "en", reddit_c, '<shreddit-comment-tree>', "</shreddit-comment-tree>",
               '<shreddit-composer><div contenteditable="true" role="textbox" aria-label="Add a comment"></div>'
               '<button slot="submit-button" type="button">Comment</button></shreddit-composer>', "en"),
    "blog": ("generic", "My recipe blog", "en", blog_c, '<div id="comments" class="comments-area"><ol class="comment-list">', "</ol></div>",
             '<form id="commentform" class="comment-form" action="/post" method="post"><p><label for="comment">Comment</label>'
             '<textarea id="comment" name="comment"></textarea></p><p><input type="submit" id="submit" value="Post Comment"></p></form>', "en"),
    "forum": ("generic", "Gardening forum", "en", forum_c, '<div class="topic-body-list">', "</div>",
              '<div class="reply-area"><textarea class="d-editor-input"></textarea><button class="btn-primary create" type="button">Reply</button></div>', "en"),
    "schema": ("generic", "Neighbourhood news", "en", schema_c, '<section class="discussion">', "</section>",
               '<div class="composer"><textarea name="msg"></textarea><button type="button">Send</button></div>', "en"),
}

NAMES_ZH = ["小明", "路人甲", "阿花", "老王"]
NAMES_EN = ["alice", "bob_77", "carol", "dave"]


def comments_page(key):
    adapter, title, lang, fn, open_, close, composer, tl = SITES[key]
    if tl == "zh":
        first = [(BENIGN_ZH, "benign"), (ABUSIVE_ZH, "abusive"), (ABUSIVE_EN, "abusive"), (BENIGN_ZH2, "benign")]
        late = [(ABUSIVE_ZH2, "abusive"), (BENIGN_EN, "benign")]
        names = NAMES_ZH
        more = "加载更多评论"
    else:
        first = [(BENIGN_EN, "benign"), (ABUSIVE_EN, "abusive"), (BENIGN_EN2, "benign"), (ABUSIVE_EN2, "abusive")]
        late = [(ABUSIVE_EN2.replace("Shut up", "Get lost"), "abusive"), (BENIGN_EN2.replace("today", "this week"), "benign")]
        names = NAMES_EN
        more = "Load more comments"
    items = "\n".join(fn(t, names[i % 4], x) for i, (t, x) in enumerate(first))
    late_items = "\n".join(fn(t, names[(i + 1) % 4], x) for i, (t, x) in enumerate(late))
    body = f"""<main>
<h1>{e(title)}</h1>
<p class="post">{e("今天做了番茄炒蛋，分享一下做法。" if tl == "zh" else "Today I made tomato soup; here is how.")}</p>
{composer}
<div id="comment-list" data-list>{open_}
{items}
{close}</div>
<button id="load-more" type="button">{more}</button>
<template id="more">{late_items}</template>
</main>"""
    return adapter, page(adapter, title, lang, body)


# ---------------------------------------------------------------- direct messages
def dm(site):
    """(path, html) of a message view in the site's markup: a stranger's conversation."""
    if site == "x":
        def m(text, incoming, exp):
            d = "received" if incoming else "sent"
            return (f'<div data-testid="messageEntry" data-direction="{d}"{f" data-expect={chr(34)}{exp}{chr(34)}" if incoming else ""}>'
                    f'<div data-testid="messageText"><span>{e(text)}</span></div></div>')
        head = ('<div data-testid="DMConversationHeader"><div data-testid="User-Name"><span>troll_9000</span></div></div>'
                '<div data-testid="messageRequestBanner">This account is not following you. Accept the request?</div>')
        composer = ('<div data-testid="dmComposer"><div data-testid="dmComposerTextInput" contenteditable="true" role="textbox"></div>'
                    '<button data-testid="dmComposerSendButton" type="button" aria-label="Send">➤</button></div>')
        return "messages/x.html", "x", "en", "Messages / X", head, m, composer, "en"
    if site == "weibo":
        def m(text, incoming, exp):
            side = "msg-left" if incoming else "msg-right"
            ex = f' data-expect="{exp}"' if incoming else ""
            return f'<div class="msg-item {side}"{ex}><span class="msg-name">陌生人</span><p class="msg-text">{e(text)}</p></div>'
        head = '<div class="stranger-tip">对方不是你的关注对象</div>'
        composer = '<div class="msg-input"><textarea></textarea><button class="btn-send" type="button">发送</button></div>'
        return "messages/weibo.html", "weibo", "zh-CN", "私信 - 微博", head, m, composer, "zh"
    if site == "bilibili":
        def m(text, incoming, exp):
            side = "is-left" if incoming else "is-right"
            ex = f' data-expect="{exp}"' if incoming else ""
            return f'<div class="msg-item {side}"{ex}><span class="msg-user">陌生人</span><div class="message-content">{e(text)}</div></div>'
        head = '<div class="stranger-notice">未关注人消息</div>'
        composer = '<div class="send-box"><textarea></textarea><button class="btn-send" type="button">发送</button></div>'
        return "messages/bilibili.html", "bilibili", "zh-CN", "我的消息 - 哔哩哔哩", head, m, composer, "zh"
    if site == "douyin":
        def m(text, incoming, exp):
            d = "in" if incoming else "out"
            ex = f' data-expect="{exp}"' if incoming else ""
            return f'<div data-e2e="msg-item" data-direction="{d}"{ex}><span data-e2e="msg-user">陌生人</span><div data-e2e="msg-text">{e(text)}</div></div>'
        head = '<div data-e2e="stranger-tip">陌生人消息</div>'
        composer = '<div data-e2e="msg-input"><div contenteditable="true" role="textbox"></div><span data-e2e="msg-send" role="button">发送</span></div>'
        return "messages/douyin.html", "douyin", "zh-CN", "私信 - 抖音", head, m, composer, "zh"
    if site == "zhihu":
        def m(text, incoming, exp):
            side = "MessagesBox-item--left" if incoming else "MessagesBox-item--right"
            ex = f' data-expect="{exp}"' if incoming else ""
            return f'<div class="MessagesBox-item {side}"{ex}><div class="MessagesBox-content">{e(text)}</div></div>'
        head = '<div class="MessagesBox-strangerTip">对方未关注你</div>'
        composer = '<div class="MessagesBox-input"><textarea></textarea><button class="MessagesBox-send" type="button">发送</button></div>'
        return "messages/zhihu.html", "zhihu", "zh-CN", "私信 - 知乎", head, m, composer, "zh"
    if site == "reddit":
        def m(text, incoming, exp):
            cls = "recipient" if incoming else "sender"
            ex = f' data-expect="{exp}"' if incoming else ""
            return f'<div class="message {cls}"{ex}><p class="tagline"><a class="author">stranger42</a></p><div class="md"><p>{e(text)}</p></div></div>'
        return "message/reddit.html", "reddit", "en", "messages: inbox - Reddit", "", m, "", "en"
    raise KeyError(site)


def dm_page(site):
    path, adapter, lang, title, head, m, composer, tl = dm(site)
    if tl == "zh":
        rows = [(BENIGN_ZH, True, "benign"), ("好的，谢谢", False, ""), (ABUSIVE_ZH, True, "abusive")]
    else:
        rows = [(BENIGN_EN, True, "benign"), ("Thanks!", False, ""), (ABUSIVE_EN, True, "abusive")]
    msgs = "\n".join(m(t, inc, x) for t, inc, x in rows)
    body = f"<main><h1>{e(title)}</h1>\n{head}\n<div class=\"conversation\" data-list>\n{msgs}\n</div>\n{composer}\n</main>"
    return path, page(adapter, title, lang, body)


FIXTURE_JS = r"""// Page behaviour shared by the fixture pages: "load more", and a composer that posts.
(function () {
  window.__posted = [];
  function post(text) {
    text = (text || '').trim();
    if (!text) return;
    window.__posted.push(text);
    var li = document.createElement('li');
    li.textContent = text;
    document.getElementById('posted').appendChild(li);
  }
  function editorOf(scope) {
    return scope.querySelector('textarea, [contenteditable="true"]');
  }
  function take(ed) {
    var t = ed.value !== undefined && ed.tagName === 'TEXTAREA' ? ed.value : ed.textContent;
    if (ed.tagName === 'TEXTAREA') ed.value = ''; else ed.textContent = '';
    return t;
  }
  var more = document.getElementById('load-more');
  if (more) more.addEventListener('click', function () {
    var tpl = document.getElementById('more');
    var list = document.querySelector('[data-list]');
    var items = list.querySelectorAll('[data-expect]');
    var parent = list;
    if (items.length) {
      // the last item's outermost wrapper that holds only it; new items go next to it
      var top = items[items.length - 1];
      while (top.parentElement !== list && top.parentElement.querySelectorAll('[data-expect]').length === 1) top = top.parentElement;
      parent = top.parentElement;
    }
    parent.appendChild(tpl.content.cloneNode(true));
  });
  // buttons that post (any element marked as the site's send control)
  var SEND = 'button[type="submit"]:not(form button), .reply-box-send, [data-e2e="comment-post"], [data-e2e="msg-send"], .CommentEditorV2-singleButton, #submit-button button, [data-testid="tweetButtonInline"], [data-testid="dmComposerSendButton"], button[slot="submit-button"], .btn-send, .MessagesBox-send, .reply-area button, .composer button';
  document.addEventListener('click', function (ev) {
    var b = ev.target.closest(SEND);
    if (!b) return;
    var scope = b.parentElement;
    while (scope && !editorOf(scope)) scope = scope.parentElement;
    if (scope) post(take(editorOf(scope)));
  });
  // Enter sends in chat-like composers (and Ctrl+Enter anywhere)
  document.addEventListener('keydown', function (ev) {
    if (ev.key !== 'Enter' || ev.shiftKey) return;
    var ed = ev.target.closest('[data-e2e="comment-input"] [contenteditable], [data-e2e="msg-input"] [contenteditable], [data-testid="dmComposerTextInput"], .msg-input textarea, .send-box textarea, .MessagesBox-input textarea');
    if (!ed && (ev.ctrlKey || ev.metaKey)) ed = ev.target.closest('textarea, [contenteditable="true"]');
    if (!ed) return;
    ev.preventDefault();
    post(take(ed));
  });
  // classic forms
  document.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var ed = editorOf(ev.target);
    if (ed) post(take(ed));
  });
})();
"""

FIXTURE_CSS = """body{font:15px/1.5 system-ui,sans-serif;max-width:760px;margin:20px auto;padding:0 12px;color:#222}
[data-expect]{display:block;border-bottom:1px solid #eee;padding:8px 0}
textarea,[contenteditable]{display:block;width:100%;min-height:48px;border:1px solid #bbb;border-radius:6px;padding:6px;margin:8px 0;box-sizing:border-box}
ytd-comment-thread-renderer,ytd-comment-view-model,shreddit-comment,shreddit-comment-tree,ytd-commentbox,shreddit-composer,ytd-item-section-renderer,yt-attributed-string,ytd-button-renderer{display:block}
"""


def main() -> None:
    PAGES.mkdir(parents=True, exist_ok=True)
    (PAGES / "fixture.js").write_text(FIXTURE_JS, encoding="utf-8")
    (PAGES / "fixture.css").write_text(FIXTURE_CSS, encoding="utf-8")
    for key in SITES:
        _, text = comments_page(key)
        (PAGES / f"{key}.html").write_text(text, encoding="utf-8")
    for site in ("x", "weibo", "bilibili", "douyin", "zhihu", "reddit"):
        path, text = dm_page(site)
        (PAGES / path).parent.mkdir(parents=True, exist_ok=True)
        (PAGES / path).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
