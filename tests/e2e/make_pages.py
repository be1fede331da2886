"""Writes tests/e2e/pages/: local pages rebuilt from ``../shared/notes/site-markup.md`` (what is
known of each site's live markup), NOT from the extension's adapters. Each page names the section
of the notes it mirrors in ``<meta name="kindshield-fixture">`` and keeps that section's nesting:
open shadow roots (Bilibili, Coral), hashed class names (Douyin, Bilibili messages, Weibo forms),
a virtual scroller that reuses its nodes (Weibo), Draft.js-like editors that ignore synthetic key
events (Douyin), cross-origin frames (Disqus). Run ``python tests/e2e/make_pages.py`` after a change.

Test conventions (not site markup): a comment or message carries ``data-expect`` on the element
the notes call the comment/message: ``abusive`` (must end up blurred), ``benign`` (untouched),
``hidden`` (a pre-rendered 0x0 node: untouched), ``opening`` (a forum's opening post: untouched),
``own`` (the person's own message: untouched). Composers post into ``window.__posted``; "load
more" is ``#load-more``. The pages declare their site with ``data-kindshield-site``, which the
extension honours only in its test mode.
"""
from __future__ import annotations

import html
import json
from pathlib import Path

PAGES = Path(__file__).resolve().parent / "pages"

# clearly abusive and clearly benign texts (no borderline ones: the model will change)
ABUSIVE_EN = "you are a stupid worthless idiot"
ABUSIVE_EN2 = "Shut up you stupid ugly loser, nobody wants you here"
ABUSIVE_ZH = "你就是个傻逼，滚出去"
ABUSIVE_ZH2 = "你就是个废物，蠢货，赶紧去死吧"
BENIGN_EN = "Thanks for sharing this recipe, it looks delicious"
BENIGN_EN2 = "Great video, I learned a lot about gardening today"
BENIGN_ZH = "谢谢分享，这个菜谱看起来很好吃"
BENIGN_ZH2 = "视频拍得真好，今天学到了很多园艺知识"
ALL_TEXTS = {ABUSIVE_EN: True, ABUSIVE_EN2: True, ABUSIVE_ZH: True, ABUSIVE_ZH2: True,
             BENIGN_EN: False, BENIGN_EN2: False, BENIGN_ZH: False, BENIGN_ZH2: False,
             ABUSIVE_EN2.replace("Shut up", "Get lost"): True, BENIGN_EN2.replace("today", "this week"): False}

e = html.escape


def X(text):
    return "abusive" if ALL_TEXTS[text] else "benign"


def page(site: str, title: str, lang: str, section: str, body: str, scripts: tuple[str, ...] = ()) -> str:
    tags = "".join(f'<script src="/{s}"></script>\n' for s in ("fixture.js", *scripts))
    return f"""<!doctype html>
<html lang="{lang}" data-kindshield-site="{site}">
<head>
<meta charset="utf-8">
<meta name="kindshield-fixture" content="{e(section)}">
<link rel="icon" href="data:,">
<title>{e(title)}</title>
<link rel="stylesheet" href="/fixture.css">
</head>
<body>
{body}
<ul id="posted" aria-label="posted"></ul>
{tags}</body>
</html>
"""


def template_more(items_html: str) -> str:
    return f'<button id="load-more" type="button">more</button><template id="more">{items_html}</template>'


# ================================================================ §1a Bilibili v3 (shadow roots)
BILI_THREADS = [
    {"rpid": "101", "uname": "小明", "message": BENIGN_ZH, "replies": [
        {"rpid": "1011", "uname": "路人甲", "message": BENIGN_ZH2},
        {"rpid": "1012", "uname": "喷子", "message": ABUSIVE_ZH2, "body": True}]},
    {"rpid": "102", "uname": "喷子", "message": ABUSIVE_ZH, "replies": [  # benign replies under an abusive comment
        {"rpid": "1021", "uname": "阿花", "message": BENIGN_ZH},
        {"rpid": "1022", "uname": "老王", "message": BENIGN_EN2}]},
    {"rpid": "103", "uname": "troll", "message": ABUSIVE_EN, "replies": []},
    {"rpid": "104", "uname": "老王", "message": BENIGN_ZH2, "replies": []},
]
BILI_MORE = [  # "load more": new threads in #feed and a new reply in the first thread, all inside shadow roots
    {"rpid": "105", "uname": "喷子2", "message": ABUSIVE_EN2, "replies": []},
    {"rpid": "106", "uname": "阿花", "message": BENIGN_EN, "replies": []},
]
BILI_LATE_REPLY = {"thread": "101", "rpid": "1013", "uname": "喷子3", "message": ABUSIVE_ZH}


def add_expect(threads):
    for t in threads:
        t["expect"] = X(t["message"])
        for r in t.get("replies", []):
            r["expect"] = X(r["message"])
    return threads


BILI_COMPONENTS_JS = r"""// Bilibili's v3 comment components as site-markup.md §1a describes them: every level is a custom
// element with its own OPEN shadow root, rendered from Lit-style __data. Element names, ids and
// nesting follow the notes; the rendering code is the fixture's own.
(function () {
  function el(tag, attrs, kids) {
    var n = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { n.setAttribute(k, attrs[k]); });
    (kids || []).forEach(function (c) { n.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return n;
  }
  function withData(tag, data) { var n = document.createElement(tag); n.__data = data; return n; }
  class Base extends HTMLElement {
    connectedCallback() { if (!this.shadowRoot) { this.attachShadow({ mode: 'open' }); this.render(this.shadowRoot, this.__data || {}); } }
  }
  customElements.define('bili-rich-text', class extends Base {
    render(root, d) { root.appendChild(el('p', { id: 'contents' }, [el('span', {}, [d.text || ''])])); }
  });
  customElements.define('bili-comment-user-info', class extends Base {
    render(root, d) {
      root.appendChild(el('div', { id: 'info' }, [
        el('div', { id: 'user-name' }, [el('a', { href: '//space.bilibili.com/' + d.mid, 'data-user-profile-id': d.mid }, [d.uname])]),
        el('div', { id: 'user-level' }, ['LV5'])]));
    }
  });
  customElements.define('bili-comment-action-buttons-renderer', class extends Base {
    render(root) {
      root.appendChild(el('div', { id: 'like' }, [el('button', {}, ['12'])]));
      root.appendChild(el('div', { id: 'dislike' }, [el('button', {}, ['踩'])]));
      root.appendChild(el('div', { id: 'reply' }, [el('button', {}, ['回复'])]));
      root.appendChild(el('div', { id: 'more' }, [el('button', {}, ['⋮'])]));
    }
  });
  function rendererBody(root, d, textParentId) {
    root.appendChild(el('div', { id: 'header' }, [withData('bili-comment-user-info', { uname: d.member.uname, mid: d.member.mid })]));
    var rich = withData('bili-rich-text', { text: d.content.message });
    root.appendChild(el('div', { id: textParentId }, [rich]));
    root.appendChild(el('div', { id: 'footer' }, [el('span', { id: 'pubdate' }, ['2026-08-01 10:24']), withData('bili-comment-action-buttons-renderer', {})]));
  }
  customElements.define('bili-comment-renderer', class extends Base {
    render(root, d) { if (d.expect) this.dataset.expect = d.expect; rendererBody(root, d, 'content'); }
  });
  customElements.define('bili-comment-reply-renderer', class extends Base {
    // the notes disagree between #main and #body for the reply text's parent: both occur here
    render(root, d) { if (d.expect) this.dataset.expect = d.expect; rendererBody(root, d, d.body ? 'body' : 'main'); }
  });
  customElements.define('bili-comment-replies-renderer', class extends Base {
    render(root, d) {
      var contents = el('div', { id: 'expander-contents' });
      root.appendChild(el('div', { id: 'expander' }, [contents]));
      (d.replies || []).forEach(function (r) { contents.appendChild(withData('bili-comment-reply-renderer', reply(r))); });
    }
    addReply(r) { this.shadowRoot.getElementById('expander-contents').appendChild(withData('bili-comment-reply-renderer', reply(r))); }
  });
  function reply(r) { return { rpid_str: r.rpid, member: { uname: r.uname, mid: '9' + r.rpid }, content: { message: r.message }, expect: r.expect, body: r.body }; }
  customElements.define('bili-comment-thread-renderer', class extends Base {
    render(root, d) {
      root.appendChild(withData('bili-comment-renderer', reply(d)));
      root.lastChild.id = 'comment';
      root.appendChild(el('div', { id: 'replies' }, [withData('bili-comment-replies-renderer', { replies: d.replies })]));
      root.appendChild(el('div', { id: 'reply-container' }));
    }
  });
  // the composer: bili-comment-box → #comment-area #body #editor bili-comment-rich-textarea →
  // #input .brt-root .brt-editor (contenteditable); the send button is #pub button
  customElements.define('bili-comment-rich-textarea', class extends Base {
    render(root) {
      root.appendChild(el('div', { id: 'input' }, [el('div', { class: 'brt-root' }, [
        el('div', { class: 'brt-placeholder' }, ['发一条友善的评论']),
        el('div', { class: 'brt-editor', contenteditable: 'true', role: 'textbox' })])]));
    }
  });
  customElements.define('bili-comment-box', class extends Base {
    render(root) {
      root.appendChild(el('div', { id: 'comment-area' }, [
        el('div', { id: 'body' }, [el('div', { id: 'editor' }, [document.createElement('bili-comment-rich-textarea')])]),
        el('div', { id: 'footer' }, [el('bili-checkbox', {}, ['同步到动态']), el('div', { id: 'pub' }, [el('button', {}, ['发布'])])])]));
      root.getElementById('pub').addEventListener('click', function () {
        var ed = root.querySelector('bili-comment-rich-textarea').shadowRoot.querySelector('.brt-editor');
        window.__post(ed.textContent); ed.textContent = '';
      });
    }
  });
  customElements.define('bili-comments-header-renderer', class extends Base {
    render(root) { root.appendChild(el('div', { id: 'commentbox' }, [document.createElement('bili-comment-box')])); }
  });
  customElements.define('bili-comments', class extends Base {
    render(root, d) {
      root.appendChild(document.createElement('bili-comments-header-renderer'));
      var feed = el('div', { id: 'feed' });
      root.appendChild(el('div', { id: 'contents' }, [el('div', { id: 'new' }), feed]));
      (d.threads || []).forEach(function (t) { feed.appendChild(withData('bili-comment-thread-renderer', t)); });
    }
    addThread(t) { this.shadowRoot.getElementById('feed').appendChild(withData('bili-comment-thread-renderer', t)); }
  });
  window.__mountBili = function (host, threads, more, lateReply) {
    var c = withData('bili-comments', { threads: threads });
    host.appendChild(c);
    var btn = document.getElementById('load-more');
    if (btn) btn.addEventListener('click', function () {
      more.forEach(function (t) { c.addThread(t); });
      if (lateReply) {
        c.shadowRoot.querySelectorAll('bili-comment-thread-renderer').forEach(function (t) {
          if (t.__data.rpid === lateReply.thread) t.shadowRoot.querySelector('bili-comment-replies-renderer').addReply(lateReply);
        });
      }
    });
  };
})();
"""


def bili_data(threads):
    return [{**t, "replies": [dict(r) for r in t.get("replies", [])]} for t in add_expect([dict(t) for t in threads])]


def bilibili_page():
    threads = bili_data(BILI_THREADS)
    more = bili_data(BILI_MORE)
    late = {**BILI_LATE_REPLY, "expect": X(BILI_LATE_REPLY["message"])}
    body = f"""<main>
<h1>番茄炒蛋教程</h1>
<div id="commentapp"></div>
<button id="load-more" type="button">加载更多评论</button>
<script>window.__biliData = {json.dumps({"threads": threads, "more": more, "late": late}, ensure_ascii=False)};</script>
</main>
<script src="/bili-components.js"></script>
<script>window.__mountBili(document.getElementById('commentapp'), __biliData.threads, __biliData.more, __biliData.late);</script>"""
    return page("bilibili", "番茄炒蛋教程_哔哩哔哩_bilibili", "zh-CN", "site-markup.md §1a Bilibili v3 web components", body)


def bilibili_v2_page():
    def item(rpid, who, text, replies=()):
        subs = "".join(
            f'<div class="sub-reply-item" data-expect="{X(t)}"><div class="sub-user-info"><div class="sub-reply-avatar"></div>'
            f'<div class="sub-user-name" data-user-id="9{rpid}{i}">{e(w)}</div></div>'
            f'<span class="reply-content-container sub-reply-content"><span class="reply-content">{e(t)}</span></span>'
            f'<div class="sub-reply-info"><span class="sub-reply-time">2026-08-01 10:2{i}</span><span class="sub-reply-btn">回复</span></div></div>'
            for i, (w, t) in enumerate(replies))
        return (f'<div class="reply-item"><div class="root-reply-avatar"></div><div class="content-warp">'
                f'<div class="user-info"><div class="user-name" data-user-id="{rpid}">{e(who)}</div><div class="user-level"></div></div>'
                f'<div class="root-reply" data-expect="{X(text)}"><span class="reply-content-container root-reply"><span class="reply-content">{e(text)}</span></span>'
                f'<div class="reply-info"><span class="reply-time">2026-08-01 10:24</span><span class="reply-btn">回复</span></div></div>'
                f'<div class="sub-reply-container"><div class="sub-reply-list">{subs}</div></div></div></div>')
    items = (item("1", "小明", BENIGN_ZH, [("路人甲", BENIGN_ZH2)]) + item("2", "喷子", ABUSIVE_ZH, [("阿花", BENIGN_ZH), ("老王", BENIGN_ZH2)])
             + item("3", "troll", ABUSIVE_EN))
    body = f'<main><h1>视频</h1><div class="bili-comment"><div class="reply-list">{items}</div></div></main>'
    return page("bilibili", "视频_哔哩哔哩_bilibili", "zh-CN", "site-markup.md §1a legacy v2 markup (.reply-item, .sub-reply-list, .reply-content)", body)


def bilibili_dynamic_page():
    def dyn(who, text):
        return (f'<div class="bili-dyn-list__item"><div class="bili-dyn-item"><div class="bili-dyn-item__main">'
                f'<div class="bili-dyn-item__header"><div class="bili-dyn-title"><span class="bili-dyn-title__text">{e(who)}</span></div>'
                f'<div class="bili-dyn-time">1小时前</div></div>'
                f'<div class="bili-dyn-item__body"><div class="bili-dyn-content"><div class="dyn-card-opus">'
                f'<div class="dyn-card-opus__summary" data-expect="{X(text)}"><div class="bili-rich-text"><div class="bili-rich-text__content"><span>{e(text)}</span></div></div></div>'
                f'</div></div></div></div></div></div>')
    threads = bili_data([BILI_THREADS[1], BILI_THREADS[3]])
    body = f"""<main><div class="bili-dyn-home--member"><div class="bili-dyn-list">
{dyn("小明", BENIGN_ZH)}
{dyn("喷子", ABUSIVE_ZH2)}
</div>
<div class="comment-wrap"></div></div>
<script>window.__biliData = {json.dumps({"threads": threads}, ensure_ascii=False)};</script>
</main>
<script src="/bili-components.js"></script>
<script>window.__mountBili(document.querySelector('.comment-wrap'), __biliData.threads, [], null);</script>"""
    return page("bilibili", "动态首页-哔哩哔哩", "zh-CN", "site-markup.md §1b t.bilibili.com dynamics (+ §1a comments under a dynamic)", body)


def bilibili_messages_page():
    rows = [(BENIGN_ZH, False), ("好的，谢谢", True), (ABUSIVE_ZH, False), (BENIGN_ZH2, True)]
    msgs = []
    for t, me in rows:
        if me:
            msgs.append(f'<div class="_Msg_o7f0t_1 _MsgIsMe_o7f0t_12" data-expect="own"><div class="_MsgAvatar_o7f0t_20"></div>'
                        f'<div class="_MsgText_o7f0t_30 _MsgTextIsMe_o7f0t_35">{e(t)}</div></div>')
        else:
            msgs.append(f'<div class="_Msg_o7f0t_1" data-expect="{X(t)}"><div class="_MsgAvatar_o7f0t_20"></div>'
                        f'<div class="_MsgText_o7f0t_30">{e(t)}</div></div>')
    body = f"""<main class="_Main_k3x9a_1">
<div class="_SessionTitle_k3x9a_8">陌生人甲</div>
<div class="_MsgList_o7f0t_40">{''.join(msgs)}</div>
<div class="_Editor_p2l4s_1"><div class="_EditorInput_p2l4s_4" contenteditable="true" data-fixture-editor></div>
<div class="_SendBtn_p2l4s_9" data-fixture-send>发送</div></div>
</main>"""
    return page("bilibili", "我的消息-哔哩哔哩", "zh-CN", "site-markup.md §1c message.bilibili.com private messages", body)


# ================================================================ §2a Weibo (virtual scroller, node reuse)
WEIBO_ROWS = [
    (BENIGN_ZH, "小明", BENIGN_ZH2, "路人甲"),
    (ABUSIVE_ZH, "喷子", BENIGN_ZH, "阿花"),     # a benign reply under an abusive comment
    (BENIGN_ZH2, "老王", ABUSIVE_ZH2, "喷子2"),
    (ABUSIVE_EN, "troll", BENIGN_EN, "alice"),
    (BENIGN_EN, "bob", BENIGN_EN2, "carol"),
    (ABUSIVE_EN2, "loser_hater", BENIGN_ZH2, "dave"),
    (BENIGN_EN2, "erin", ABUSIVE_ZH, "喷子3"),
    (BENIGN_ZH, "阿花", BENIGN_ZH2, "老王"),
]

WEIBO_JS = r"""// A vue-recycle-scroller as site-markup.md §2a describes it: a fixed pool of item views whose
// nodes are REUSED when the list scrolls; like Vue, only the text nodes' data and the bound
// attributes change, the elements stay.
(function () {
  var rows = window.__weiboRows, POOL = 4, start = 0;
  // like Vue's vnodes, keep references to the nodes once instead of querying the DOM again
  var views = Array.prototype.map.call(document.querySelectorAll('.vue-recycle-scroller__item-view'), function (v) {
    var i1 = v.querySelector('.item1'), i2 = v.querySelector('.item2');
    return { v: v, item: v.querySelector('.wbpro-scroller-item'), i1: i1, i2: i2,
             w1: i1.querySelector('.con1 .text > a').firstChild, t1: i1.querySelector('.con1 .text > span').firstChild,
             w2: i2.querySelector('.text > a').firstChild, t2: i2.querySelector('.text > span').firstChild };
  });
  function fill() {
    views.forEach(function (n, k) {
      var i = start + k, r = rows[i];
      n.item.setAttribute('data-index', String(i));
      n.v.style.transform = 'translateY(' + (i * 120) + 'px)';
      n.i1.setAttribute('data-expect', r.e1); n.i2.setAttribute('data-expect', r.e2);
      n.w1.data = r.w1; n.t1.data = r.t1; n.w2.data = r.w2; n.t2.data = r.t2;
    });
  }
  window.__weiboScroll = function (by) { start = Math.max(0, Math.min(rows.length - POOL, start + by)); fill(); return start; };
  fill();
  document.getElementById('scroll-down').addEventListener('click', function () { window.__weiboScroll(2); });
})();
"""


def weibo_page():
    rows = [{"t1": a, "w1": b, "e1": X(a), "t2": c, "w2": d, "e2": X(c)} for a, b, c, d in WEIBO_ROWS]

    def view():
        return ('<div class="vue-recycle-scroller__item-view"><div class="wbpro-scroller-item" data-index="0"><div class="wbpro-list">'
                '<div class="item1"><div class="con1 woo-box-item-flex"><div class="text"><a href="/u/1" usercard="1">x</a>:<span>x</span></div>'
                '<div class="info woo-box-flex"><div>26-8-1 10:24 来自北京</div><div><button title="赞" class="woo-like-main">赞</button></div></div></div>'
                '<div class="list2"><div class="item2"><div class="con2"><div class="text"><a href="/u/2" usercard="2">x</a>:<span>x</span></div>'
                '<div class="info"><div>26-8-1 10:30</div></div></div></div></div></div></div></div></div>')
    body = f"""<main><article class="wbpro-feed-content"><div class="_wbtext_1ax2b_9">今天做了番茄炒蛋，分享一下做法。</div></article>
<div class="wbpro-form Form_wbproform_3UDwq"><textarea class="Form_input_3JT2Q" placeholder="发布你的评论" data-fixture-editor></textarea>
<div class="Tool_mar_2Jv1j"><button class="woo-button-main Tool_btn_2Eane" type="button" data-fixture-send>评论</button></div></div>
<div id="scroller" class="vue-recycle-scroller ready direction-vertical"><div class="vue-recycle-scroller__item-wrapper">
{''.join(view() for _ in range(4))}
</div></div>
<button id="scroll-down" type="button">向下滚动</button>
<script>window.__weiboRows = {json.dumps(rows, ensure_ascii=False)};</script>
</main>"""
    return page("weibo", "微博正文 - 微博", "zh-CN", "site-markup.md §2a weibo.com wbpro comments in vue-recycle-scroller", body, ("weibo-scroller.js",))


# ================================================================ §3 Douyin
def douyin_item(who, text, replies=(), hidden=False):
    reps = ""
    if replies:
        reps = '<div class="replyContainer Qo1wHnhv">' + "".join(douyin_item(w, t) for w, t in replies) + "</div>"
    exp = "hidden" if hidden else X(text)
    style = ' style="width:0;height:0;padding:0;border:0;overflow:hidden;position:absolute"' if hidden else ""
    return (f'<div data-e2e="comment-item" class="EeYw5kwN" data-expect="{exp}"{style}><div class="ZNDVtZPi"><a href="//www.douyin.com/user/x"><img alt="" src="data:,"></a></div>'
            f'<div class="RHiEl2d8"><div class="comment-item-info-wrap"><div class="Y8xVf0q9"><a href="//www.douyin.com/user/{e(who)}"><span><span>{e(who)}</span></span></a></div></div>'
            f'<div class="C7LroK_h"><span class="j5WZzJdp"><span><span>{e(text)}</span></span></span></div>'
            f'<div class="comment-item-stats-container"><div class="fJhvAqos"><span>1周前·北京</span></div><div class="bPwnkLj7"><span>12</span>'
            f'<div data-e2e="comment-reply" class="ctx2"><span>回复</span></div></div></div>{reps}</div></div>')


DRAFT_JS = r"""// Draft.js-like editors (site-markup.md §3a composer, §3b chat editor): they act on REAL key
// presses only; a synthetic Enter (isTrusted false) is ignored, as Draft.js and React editors do.
(function () {
  document.addEventListener('keydown', function (ev) {
    var ed = ev.target.closest && ev.target.closest('[data-fixture-enter]');
    if (!ed || ev.key !== 'Enter' || ev.shiftKey) return;
    ev.preventDefault();
    if (!ev.isTrusted) return;  // the site ignores synthetic events
    window.__post(ed.textContent); ed.textContent = '';
  });
})();
"""


def douyin_page():
    items = (douyin_item("小明", BENIGN_ZH, [("路人甲", BENIGN_ZH2)])
             + douyin_item("喷子", ABUSIVE_ZH, [("阿花", BENIGN_ZH), ("老王", BENIGN_ZH2)])
             + douyin_item("troll", ABUSIVE_EN) + douyin_item("老王", BENIGN_ZH2))
    prerender = douyin_item("seo", ABUSIVE_ZH2, hidden=True)
    more = douyin_item("喷子2", ABUSIVE_EN2) + douyin_item("阿花", BENIGN_EN)
    body = f"""<main><div id="videoSideCard"><div class="comment-mainContent" data-e2e="comment-list">
<div class="HV3aiR5J"><span class="comment-title">全部评论</span></div>
<div class="ssr-prerender">{prerender}</div>
<div class="list" data-list>{items}</div>
{template_more(more)}
<div class="comment-input-container"><div class="comment-input-inner-container"><div class="DraftEditor-root">
<div class="public-DraftEditorPlaceholder-root">留下你的精彩评论吧</div>
<div class="DraftEditor-editorContainer"><div class="notranslate public-DraftEditor-content" contenteditable="true" role="combobox" data-fixture-enter data-fixture-editor></div></div></div>
<span data-e2e="comment-post" class="WFB7wUOX" data-fixture-send>发送</span></div></div>
</div></div></main>"""
    return page("douyin", "番茄炒蛋 - 抖音", "zh-CN", "site-markup.md §3a Douyin video comments (hashed classes, hidden pre-rendered items, Draft.js composer)", body, ("draft.js",))


def douyin_chat_page():
    rows = [(BENIGN_ZH, "in"), ("好的，谢谢", "me"), ("对方撤回了一条消息", "center"), (ABUSIVE_ZH, "in"), (BENIGN_ZH2, "me")]
    out = []
    for i, (t, kind) in enumerate(rows):
        if kind == "center":
            out.append(f'<div data-index="{i}"><div class="messageMessageBoxmessageBox messageMessageBoxisFullRowCenterMessage"><span>{e(t)}</span></div></div>')
            continue
        me = kind == "me"
        box_cls = "messageMessageBoxmessageBox" + (" messageMessageBoxisFromMe" if me else "")
        item_cls = "MessageItemTextbubbleTextContent" + (" MessageItemTextisFromMe" if me else "")
        exp = "own" if me else X(t)
        out.append(f'<div data-index="{i}"><div class="{box_cls}" data-expect="{exp}"><div class="MessageBoxContentcontent{" MessageBoxContentisFromMe" if me else ""}">'
                   f'<div class="{item_cls}"><span class="TextMessageTextpureText">{e(t)}</span></div>'
                   f'<div class="MessageBoxTimetimeLayout">10:2{i}</div></div></div></div>')
    body = f"""<main><div class="conversationConversationListwrapper">
<div class="conversationConversationItemwrapper" data-e2e="conversation-item"><div class="conversationConversationItemtitle">陌生人甲</div></div></div>
<div class="componentsRightPanelwrapper"><div class="RightPanelHeaderwrapper"><div class="RightPanelHeadertitle">陌生人甲</div></div>
<div class="messageMessageListwrapper"><div class="messageMessageListlist">{''.join(out)}</div></div>
<div class="messageEditorimChatEditorContainer"><div class="DraftEditor-root"><div class="public-DraftEditor-content" contenteditable="true" role="textbox" data-fixture-enter></div></div></div>
</div></main>"""
    return page("douyin", "私信 - 抖音", "zh-CN", "site-markup.md §3b Douyin chat (isFromMe markers, centre rows, Enter-only editor)", body, ("draft.js",))


# ================================================================ §4 Zhihu
def zhihu_c(cid, who, text, replies=()):
    reps = "".join(zhihu_c(f"{cid}{i}", w, t) for i, (w, t) in enumerate(replies, 1))
    return (f'<div data-id="{cid}" class="css-18ld3w0" data-expect="{X(text)}"><div class="css-1gomreu">'
            f'<a href="https://www.zhihu.com/people/u{cid}"><img class="Avatar css-1mcbj10" alt="" src="data:,"></a>'
            f'<div class="css-14nvvry"><div class="css-swj9d4"><a href="https://www.zhihu.com/people/u{cid}" class="css-1tu59u4">{e(who)}</a></div>'
            f'<div class="CommentContent css-1jpzztt">{e(text)}</div>'
            f'<div class="css-140jo2"><span class="css-12cl38p">08-01 · 北京</span><button type="button" class="css-1gn8e8f">回复</button></div></div></div>'
            f'{reps}</div>')


def zhihu_page():
    items = (zhihu_c("11", "小明", BENIGN_ZH, [("路人甲", BENIGN_ZH2)]) + zhihu_c("12", "喷子", ABUSIVE_ZH, [("阿花", BENIGN_ZH)])
             + zhihu_c("13", "troll", ABUSIVE_EN) + zhihu_c("14", "老王", BENIGN_ZH2))
    more = zhihu_c("15", "喷子2", ABUSIVE_ZH2) + zhihu_c("16", "阿花", BENIGN_EN)
    body = f"""<main><div class="ContentItem AnswerItem"><div class="RichContent">答案正文</div>
<div class="ContentItem-actions"><button type="button">评论</button></div>
<div class="Comments-container"><div class="css-u76jt1"><div class="Editable-content"><div contenteditable="true" role="textbox" class="public-DraftEditor-content" data-fixture-editor></div></div>
<button type="button" class="Button css-1ahdabe" data-fixture-send>发布</button></div>
<div class="css-18ld3w0-list" data-list>{items}</div>{template_more(more)}</div></div></main>"""
    return page("zhihu", "如何做番茄炒蛋？ - 知乎", "zh-CN", "site-markup.md §4 Zhihu comments (css-* + data-id, .CommentContent)", body)


# ================================================================ §5 YouTube
def yt_vm(who, text):
    return (f'<ytd-comment-view-model class="style-scope ytd-comment-thread-renderer" data-expect="{X(text)}"><div id="body">'
            f'<div id="author-thumbnail"><button id="author-thumbnail-button" aria-label="@{e(who)}"></button></div><div id="main">'
            f'<div id="header"><div id="header-author"><h3><a id="author-text" href="/@{e(who)}"><span>@{e(who)}</span></a></h3>'
            f'<span id="published-time-text"><a href="#">2 days ago</a></span></div></div>'
            f'<div id="expander"><div id="content"><yt-attributed-string id="content-text" class="ytd-comment-view-model"><span class="yt-core-attributed-string" role="text">{e(text)}</span></yt-attributed-string></div></div>'
            f'<div id="action-buttons"><ytd-comment-engagement-bar><div id="toolbar"><button aria-label="Like this comment">👍</button><button aria-label="Reply">Reply</button></div></ytd-comment-engagement-bar></div>'
            f'</div></div></ytd-comment-view-model>')


def yt_thread(who, text, replies=()):
    reps = ""
    if replies:
        reps = ('<div id="replies"><ytd-comment-replies-renderer><div id="expander"><div id="expander-contents"><div id="contents">'
                + "".join(yt_vm(w, t) for w, t in replies) + "</div></div></div></ytd-comment-replies-renderer></div>")
    return f'<ytd-comment-thread-renderer class="style-scope ytd-item-section-renderer"><div id="comment-container">{yt_vm(who, text)}</div>{reps}</ytd-comment-thread-renderer>'


YT_BOX_JS = r"""// YouTube's comment box (site-markup.md §5a): clicking #placeholder-area of the simplebox opens
// ytd-commentbox with the contenteditable #contenteditable-root and #submit-button.
(function () {
  var area = document.getElementById('placeholder-area');
  area.addEventListener('click', function () {
    var box = document.getElementById('fixture-commentbox');
    box.hidden = false;
    box.querySelector('#contenteditable-root').focus();
  });
})();
"""


def youtube_page():
    items = (yt_thread("alice", BENIGN_EN, [("bob_77", BENIGN_EN2)]) + yt_thread("bob_77", ABUSIVE_EN, [("carol", BENIGN_EN), ("dave", BENIGN_EN2)])
             + yt_thread("hater", ABUSIVE_EN2) + yt_thread("dave", BENIGN_EN2))
    more = yt_thread("hater2", ABUSIVE_EN2.replace("Shut up", "Get lost")) + yt_thread("erin", BENIGN_EN2.replace("today", "this week"))
    body = f"""<ytd-app><div id="content">
<h1>Gardening for beginners</h1>
<ytd-comments id="comments"><ytd-item-section-renderer section-identifier="comment-item-section">
<div id="header"><ytd-comments-header-renderer><ytd-comment-simplebox-renderer id="simple-box">
<div id="placeholder-area" tabindex="0">Add a comment…</div>
<ytd-commentbox id="fixture-commentbox" hidden><div id="main"><yt-formatted-string id="contenteditable-textarea"><div id="contenteditable-root" contenteditable="true" aria-label="Add a comment…" data-fixture-editor></div></yt-formatted-string>
<div id="footer"><ytd-button-renderer id="cancel-button"><button aria-label="Cancel">Cancel</button></ytd-button-renderer>
<ytd-button-renderer id="submit-button"><button aria-label="Comment" data-fixture-send>Comment</button></ytd-button-renderer></div></div></ytd-commentbox>
</ytd-comment-simplebox-renderer></ytd-comments-header-renderer></div>
<div id="contents" data-list>{items}</div>
</ytd-item-section-renderer></ytd-comments>{template_more(more)}
</div></ytd-app>"""
    return page("youtube", "Gardening for beginners - YouTube", "en", "site-markup.md §5a YouTube desktop (ytd-comment-view-model, replies, ytd-commentbox)", body, ("youtube-box.js",))


def youtube_mobile_page():
    def c(who, text):
        return (f'<ytm-comment-thread-renderer><ytm-comment-renderer data-expect="{X(text)}"><a class="YtmCommentRendererIconContainer" href="/@{e(who)}"></a>'
                f'<div class="YtmCommentRendererDetails"><div class="YtmCommentRendererHeader"><span class="YtmCommentRendererTitle">@{e(who)}</span><span>2 days ago</span></div>'
                f'<button class="YtmCommentRendererContent"><p class="YtmCommentRendererText"><span>{e(text)}</span></p></button>'
                f'<ytm-button-renderer class="YtmCommentRendererExpand"><button>Read more</button></ytm-button-renderer></div>'
                f'<button class="YtmCommentRendererMenu" aria-label="Action menu">⋮</button></ytm-comment-renderer></ytm-comment-thread-renderer>')
    items = c("alice", BENIGN_EN) + c("bob_77", ABUSIVE_EN) + c("dave", BENIGN_EN2) + c("hater", ABUSIVE_EN2)
    body = f"""<ytm-app><ytm-engagement-panel-section-list-renderer class="engagement-panel-comments-section"><ytm-comment-section-renderer>
<ytm-item-section-renderer section-identifier="comment-item-section"><lazy-list data-list>{items}</lazy-list></ytm-item-section-renderer>
</ytm-comment-section-renderer></ytm-engagement-panel-section-list-renderer></ytm-app>"""
    return page("youtube", "Gardening - YouTube", "en", "site-markup.md §5b m.youtube.com (ytm-comment-renderer, legacy renderer classes)", body)


# ================================================================ §6 X
def x_tweet(who, text):
    return (f'<div data-testid="cellInnerDiv"><div><article data-testid="tweet" role="article" tabindex="0" data-expect="{X(text)}"><div class="css-175oi2r r-18u37iz">'
            f'<div data-testid="Tweet-User-Avatar"></div><div class="css-175oi2r r-1iusvr4">'
            f'<div data-testid="User-Name"><a href="/{e(who)}" role="link"><span class="css-1jxf684">{e(who)}</span></a><a href="/{e(who)}"><span>@{e(who)}</span></a><time>2h</time></div>'
            f'<div data-testid="tweetText" lang="en" dir="auto" class="css-146c3p1"><span class="css-1jxf684">{e(text)}</span></div>'
            f'<div role="group"><button data-testid="reply" aria-label="Reply">↩</button><button data-testid="like" aria-label="Like">♥</button></div>'
            f'</div></div></article></div></div>')


def x_page():
    items = x_tweet("alice", BENIGN_EN) + x_tweet("bob_77", ABUSIVE_EN) + x_tweet("carol", BENIGN_EN2) + x_tweet("dave", ABUSIVE_EN2)
    more = x_tweet("erin", ABUSIVE_EN2.replace("Shut up", "Get lost")) + x_tweet("frank", BENIGN_EN2.replace("today", "this week"))
    body = f"""<main role="main"><div aria-label="Timeline: Conversation"><div data-list>{items}</div></div>
<div data-testid="inline-reply"><div class="DraftEditor-root"><div class="public-DraftEditorPlaceholder-root">Post your reply</div>
<div class="DraftEditor-editorContainer"><div data-testid="tweetTextarea_0" class="notranslate public-DraftEditor-content" contenteditable="true" role="textbox" data-fixture-editor></div></div></div>
<button data-testid="tweetButtonInline" type="button" data-fixture-send>Reply</button></div>
{template_more(more)}</main>"""
    return page("x", "Post / X", "en", "site-markup.md §6a X posts and replies (article[data-testid=tweet], Draft.js reply box)", body)


def x_pileon_page():
    """A pile-on under one post: a friendly reply, 18 abusive replies from six accounts in a row, one more friendly reply."""
    abusive = [ABUSIVE_EN, ABUSIVE_EN2, ABUSIVE_EN2.replace("Shut up", "Get lost")]
    pile = "".join(x_tweet(f"troll_{i % 6 + 1}", abusive[i % 3]) for i in range(18))
    items = x_tweet("alice", BENIGN_EN) + pile + x_tweet("carol", BENIGN_EN2)
    body = f"""<main role="main"><div aria-label="Timeline: Conversation"><div data-list>{items}</div></div></main>"""
    return page("x", "Post / X", "en", "site-markup.md §6a X posts and replies, a pile-on (issue 36: folding)", body)


def x_chat_page():
    rows = [(BENIGN_EN, "in"), ("Thanks!", "me"), (ABUSIVE_EN, "in"), (BENIGN_EN2, "me")]
    out = []
    for i, (t, d) in enumerate(rows):
        u = f"5f0c{i}a2e-0000-4000-8000-00000000000{i}"
        cls = "flex justify-end" if d == "me" else "flex justify-start"
        exp = "own" if d == "me" else X(t)
        out.append(f'<div data-testid="message-{u}" class="{cls}" data-expect="{exp}"><div class="max-w-[80%] rounded-2xl">'
                   f'<div data-testid="message-text-{u}" dir="auto">{e(t)}</div><div class="flex justify-end text-xs"><time>10:2{i}</time></div></div></div>')
    body = f"""<main><div data-testid="dm-container"><div data-testid="dm-inbox-panel">
<div data-testid="dm-conversation-item-111:222"><a href="/i/chat/111-222">troll_9000 · You: Thanks!</a></div></div>
<div data-testid="dm-conversation-panel"><div data-testid="dm-conversation-header"><span>troll_9000</span></div>
<div data-testid="dm-message-request-prompt">troll_9000 wants to send you a message. Accept?</div>
<div data-testid="dm-message-list"><div data-testid="dm-message-scroller">{''.join(out)}</div></div>
<form data-testid="dm-composer-form"><textarea data-testid="dm-composer-textarea" placeholder="Message" data-fixture-editor data-fixture-enter-any></textarea>
<button data-testid="dm-composer-send-button" type="button" aria-label="Send" data-fixture-send>➤</button></form></div></div></main>"""
    return page("x", "Chat / X", "en", "site-markup.md §6b X Chat DMs (dm-* test ids, message-<uuid> rows, justify-end = outgoing)", body)


# ================================================================ §7 Reddit
def reddit_c(cid, who, text, depth=0, replies=()):
    reps = "".join(reddit_c(f"{cid}{i}", w, t, depth + 1) for i, (w, t) in enumerate(replies, 1))
    return (f'<shreddit-comment author="{e(who)}" thingid="t1_{cid}" depth="{depth}" postid="t3_abc" score="3" data-expect="{X(text)}">'
            f'<div slot="commentMeta"><faceplate-hovercard><a href="/user/{e(who)}/">{e(who)}</a></faceplate-hovercard><time>3h ago</time></div>'
            f'<div slot="comment" id="t1_{cid}-comment-rtjson-content"><div id="t1_{cid}-post-rtjson-content"><p>{e(text)}</p></div></div>'
            f'<shreddit-comment-action-row slot="actionRow"><button type="button">Reply</button><button type="button">Share</button></shreddit-comment-action-row>'
            f'{reps}</shreddit-comment>')


def reddit_page():
    items = (reddit_c("a1", "alice", BENIGN_EN, replies=[("bob_77", BENIGN_EN2)]) + reddit_c("a2", "bob_77", ABUSIVE_EN, replies=[("carol", BENIGN_EN), ("dave", BENIGN_EN2)])
             + reddit_c("a3", "hater", ABUSIVE_EN2) + reddit_c("a4", "dave", BENIGN_EN2))
    more = reddit_c("a5", "hater2", ABUSIVE_EN2.replace("Shut up", "Get lost")) + reddit_c("a6", "erin", BENIGN_EN2.replace("today", "this week"))
    body = f"""<main><shreddit-post author="op" id="t3_abc"><div id="t3_abc-post-rtjson-content"><p>Tomato soup recipe</p></div></shreddit-post>
<comment-composer-host><faceplate-form><shreddit-composer><div contenteditable="true" name="body" role="textbox" aria-label="Add a comment" data-fixture-editor></div>
<button slot="submit-button" type="button" data-fixture-send>Comment</button></shreddit-composer></faceplate-form></comment-composer-host>
<shreddit-comment-tree data-list>{items}</shreddit-comment-tree>{template_more(more)}</main>"""
    return page("reddit", "r/cooking - Reddit", "en", "site-markup.md §7a Reddit shreddit-comment (nested replies, slot=comment)", body)


# ================================================================ §8 WordPress
def wp_c(cid, who, text, replies=()):
    reps = ""
    if replies:
        reps = '<ol class="children">' + "".join(wp_c(f"{cid}{i}", w, t) for i, (w, t) in enumerate(replies, 1)) + "</ol>"
    return (f'<li id="comment-{cid}" class="comment even thread-even depth-1" data-expect="{X(text)}"><article id="div-comment-{cid}" class="comment-body">'
            f'<footer class="comment-meta"><div class="comment-author vcard"><img alt="" src="data:," class="avatar" height="32" width="32">'
            f'<b class="fn"><a href="https://example.org/~{e(who)}" class="url">{e(who)}</a></b> <span class="says">says:</span></div>'
            f'<div class="comment-metadata"><a href="#comment-{cid}"><time datetime="2026-08-01T10:24:00+00:00">August 1, 2026 at 10:24 am</time></a></div></footer>'
            f'<div class="comment-content"><p>{e(text)}</p></div>'
            f'<div class="reply"><a rel="nofollow" class="comment-reply-link" href="#respond">Reply</a></div></article>{reps}</li>')


def wordpress_page():
    items = (wp_c("1", "alice", BENIGN_EN, [("bob_77", BENIGN_EN2)]) + wp_c("2", "bob_77", ABUSIVE_EN, [("carol", BENIGN_EN), ("dave", BENIGN_EN2)])
             + wp_c("3", "hater", ABUSIVE_EN2) + wp_c("4", "dave", BENIGN_EN2))
    more = wp_c("5", "hater2", ABUSIVE_EN2.replace("Shut up", "Get lost")) + wp_c("6", "erin", BENIGN_EN2.replace("today", "this week"))
    body = f"""<main><article class="post"><h1>Tomato soup</h1><p>Today I made tomato soup; here is how.</p></article>
<div id="comments" class="comments-area"><h2 class="comments-title">4 thoughts</h2><ol class="comment-list" data-list>{items}</ol>{template_more(more)}
<div id="respond" class="comment-respond"><h3 id="reply-title" class="comment-reply-title">Leave a Reply</h3>
<form action="/wp-comments-post.php" method="post" id="commentform" class="comment-form"><p class="comment-form-comment"><label for="comment">Comment</label>
<textarea id="comment" name="comment" cols="45" rows="8" maxlength="65525" required></textarea></p>
<p class="form-submit"><input name="submit" type="submit" id="submit" class="submit" value="Post Comment"></p></form></div></div></main>"""
    return page("generic", "Tomato soup – My recipe blog", "en", "site-markup.md §8 WordPress core comment markup (HTML5 walker, ol.children, #commentform)", body)


# ================================================================ §9 Discourse
def discourse_post(n, who, text, exp=None):
    return (f'<div class="topic-post clearfix regular"><article id="post_{n}" aria-label="post #{n} by @{e(who)}" role="region" data-post-id="{900 + n}" data-topic-id="77" data-post-number="{n}" class="boxed onscreen-post" data-expect="{exp or X(text)}">'
            f'<div class="row"><div class="topic-avatar"></div><div class="topic-body clearfix"><div role="heading" class="topic-meta-data"><div class="names trigger-user-card">'
            f'<span class="first username"><a href="/u/{e(who)}" data-user-card="{e(who)}">{e(who)}</a></span></div><div class="post-infos"><a class="post-date">2h</a></div></div>'
            f'<div class="regular contents"><div class="cooked"><p>{e(text)}</p></div><section class="post-menu-area clearfix"><nav class="post-controls"><button class="reply" title="begin composing a reply to this post">Reply</button></nav></section></div>'
            f'</div></div></article></div>')


def discourse_page():
    posts = (discourse_post(1, "troll_op", ABUSIVE_EN2, "opening") + discourse_post(2, "alice", BENIGN_EN) + discourse_post(3, "bob_77", ABUSIVE_EN)
             + discourse_post(4, "carol", BENIGN_EN2))
    more = discourse_post(5, "hater2", ABUSIVE_EN2.replace("Shut up", "Get lost")) + discourse_post(6, "erin", BENIGN_EN2.replace("today", "this week"))
    body = f"""<main><div id="main-outlet"><h1 class="fancy-title">Tomato problems</h1><div class="topic-area"><div class="post-stream" data-list>{posts}</div>{template_more(more)}</div></div>
<div id="reply-control" class="open"><div class="reply-area" role="dialog"><div class="reply-to">Reply</div>
<div class="d-editor"><textarea class="d-editor-input" aria-label="Type here" data-fixture-editor></textarea></div>
<div class="submit-panel"><button class="btn btn-primary create" type="button" data-fixture-send><span class="d-button-label">Reply</span></button></div></div></div></main>"""
    return page("generic", "Tomato problems - Gardening forum", "en", "site-markup.md §9 Discourse (topic-post, data-post-number, .cooked, #reply-control)", body)


# ================================================================ §11 phpBB
def phpbb_post(pid, who, text, bg):
    return (f'<div id="p{pid}" class="post has-profile bg{bg}" data-expect="{X(text)}"><div class="inner">'
            f'<dl class="postprofile" id="profile{pid}"><dt class="has-profile-rank no-avatar"><a href="./memberlist.php?mode=viewprofile&amp;u={pid}" class="username">{e(who)}</a></dt>'
            f'<dd class="profile-rank">Member</dd><dd class="profile-posts"><strong>Posts:</strong> 12</dd></dl>'
            f'<div class="postbody"><div id="post_content{pid}"><h3><a href="#p{pid}">Re: Tomatoes</a></h3>'
            f'<p class="author"><a class="unread" href="#p{pid}">»</a> by <strong><a href="#" class="username">{e(who)}</a></strong> » Sat Aug 01, 2026 10:24 am</p>'
            f'<div class="content">{e(text)}</div></div>'
            f'<div id="sig{pid}" class="signature">Happy gardening!</div></div>'
            f'<div class="back2top"><a href="#top" class="top" title="Top">Top</a></div></div></div><hr class="divider">')


def phpbb_page():
    posts = phpbb_post(11, "alice", BENIGN_EN, 2) + phpbb_post(12, "bob_77", ABUSIVE_EN, 1) + phpbb_post(13, "carol", BENIGN_EN2, 2) + phpbb_post(14, "hater", ABUSIVE_EN2, 1)
    body = f"""<div id="page-body"><h2 class="topic-title">Tomatoes</h2><div data-list>{posts}</div>
<form method="post" action="./posting.php?mode=reply&amp;t=5" id="qr_postform"><fieldset><div id="message-box" class="message-box">
<textarea style="height: 9em;" name="message" rows="7" cols="76" tabindex="1" class="inputbox"></textarea></div></fieldset>
<fieldset class="submit-buttons"><input type="submit" accesskey="s" tabindex="6" name="post" value="Submit" class="button1"></fieldset></form></div>"""
    return page("generic", "Tomatoes - Gardening forum", "en", "site-markup.md §11 phpBB prosilver (div.post#pID, .postbody .content, quick reply)", body)


# ================================================================ §10 Disqus (cross-origin frame)
def disqus_post(pid, who, text, replies=()):
    kids = ""
    if replies:
        kids = '<ul class="children">' + "".join(disqus_post(f"{pid}{i}", w, t) for i, (w, t) in enumerate(replies, 1)) + "</ul>"
    return (f'<li class="post" id="post-{pid}" data-expect="{X(text)}"><div role="alert"></div><div class="post-content" data-role="post-content">'
            f'<div class="avatar hovercard"><a class="user"><img alt="Avatar" src="data:,"></a></div><div class="post-body"><header class="comment__header">'
            f'<span class="post-byline"><span class="author publisher-anchor-color"><a data-username="{e(who)}" data-role="username">{e(who)}</a></span></span>'
            f'<span class="post-meta"><a class="time-ago" title="Saturday, August 1, 2026 10:24 AM">2 hours ago</a></span></header>'
            f'<div class="post-body-inner"><div class="post-message" data-role="message" dir="auto"><div><p>{e(text)}</p></div></div></div>'
            f'<footer class="comment__footer"><span data-role="likes">3</span><a class="reply" data-action="reply">Reply</a></footer></div></div>{kids}</li>')


def disqus_pages():
    posts = (disqus_post("1", "alice", BENIGN_EN, [("bob_77", BENIGN_EN2)]) + disqus_post("2", "bob_77", ABUSIVE_EN, [("carol", BENIGN_EN)])
             + disqus_post("3", "hater", ABUSIVE_EN2))
    frame_body = f"""<div id="conversation"><div class="textarea-wrapper" data-role="textarea"><div><div role="textbox" aria-multiline="true" contenteditable="true" class="_9rQ2k" data-fixture-editor></div></div></div>
<button type="submit" class="btn post-action__button" data-fixture-send>Comment</button>
<div id="posts"><ul id="post-list" class="post-list">{posts}</ul></div></div>"""
    frame = page("generic", "Disqus Comments", "en", "site-markup.md §10 Disqus embed (inside the frame on disqus.com/embed/comments/)", frame_body)
    host_body = """<main><article><h1>Tomato soup</h1><p>Today I made tomato soup; here is how.</p></article>
<div id="disqus_thread"></div>
<script>
  // the embed runs on ANOTHER origin (disqus.com in real life; 127.0.0.1 here while the page is on localhost)
  var f = document.createElement('iframe');
  f.src = location.protocol + '//127.0.0.1:' + location.port + '/disqus/embed/comments/index.html';
  f.name = 'dsq-app1'; f.title = 'Disqus'; f.style.cssText = 'width:100%;height:700px;border:0';
  document.getElementById('disqus_thread').appendChild(f);
</script></main>"""
    host = page("generic", "Tomato soup – a blog with Disqus", "en", "site-markup.md §10 Disqus host page (#disqus_thread > iframe, cross-origin)", host_body)
    return frame, host


# ================================================================ §13b Coral (open shadow root)
def coral_pages():
    def c(cid, who, text, replies=()):
        return {"id": cid, "who": who, "text": text, "expect": X(text),
                "replies": [c(f"{cid}{i}", w, t) for i, (w, t) in enumerate(replies, 1)]}
    data = [c("1", "alice", BENIGN_EN, [("bob_77", BENIGN_EN2)]), c("2", "bob_77", ABUSIVE_EN, [("carol", BENIGN_EN)]), c("3", "hater", ABUSIVE_EN2)]
    more = [c("4", "hater2", ABUSIVE_EN2.replace("Shut up", "Get lost")), c("5", "erin", BENIGN_EN2.replace("today", "this week"))]
    body = f"""<main><article><h1>City council votes on new park</h1></article>
<div id="coral_thread"></div><button id="load-more" type="button">Load more</button>
<script>window.__coral = {json.dumps({"data": data, "more": more})};</script></main>
<script src="/coral.js"></script>"""
    return page("generic", "City news – comments by Coral", "en", "site-markup.md §13b Coral Talk (stream in #coral-shadow-container's open shadow root)", body)


CORAL_JS = r"""// Coral's stream as site-markup.md §13b describes it: mounted into the host page (no iframe)
// inside div#coral-shadow-container with an OPEN shadow root; classes from Coral's classes.ts.
(function () {
  function el(tag, cls, text) { var n = document.createElement(tag); if (cls) n.className = cls; if (text) n.textContent = text; return n; }
  var container = el('div'); container.id = 'coral-shadow-container';
  document.getElementById('coral_thread').appendChild(container);
  var root = container.attachShadow({ mode: 'open' });
  var stream = el('div', 'coral coral-stream');
  var create = el('div', 'coral-createComment');
  var rte = el('div', 'coral-rte-content'); rte.setAttribute('contenteditable', 'true'); rte.setAttribute('role', 'textbox');
  var submit = el('button', 'coral-createComment-submit', 'Submit'); submit.type = 'button';
  submit.addEventListener('click', function () { window.__post(rte.textContent); rte.textContent = ''; });
  create.append(rte, submit);
  var list = el('div', 'coral-comments');
  stream.append(create, list);
  root.appendChild(stream);
  function comment(d) {
    var wrap = el('div', 'coral-comment-wrapper');
    var c = el('div', 'coral coral-comment'); c.dataset.expect = d.expect; c.id = 'comment-' + d.id;
    var head = el('div', 'coral-comment-header');
    head.append(el('span', 'coral-comment-username', d.who), el('span', 'coral-comment-timestamp', '2 hours ago'));
    var content = el('div', 'coral-comment-content'); content.appendChild(el('p', '', d.text));
    var actions = el('div', 'coral-comment-actionBar'); actions.appendChild(el('button', 'coral-comment-replyButton', 'Reply'));
    c.append(head, content, actions);
    wrap.appendChild(c);
    if (d.replies && d.replies.length) {
      var indent = el('div', 'coral-indent');
      d.replies.forEach(function (r) { indent.appendChild(comment(r)); });
      wrap.appendChild(indent);
    }
    return wrap;
  }
  window.__coral.data.forEach(function (d) { list.appendChild(comment(d)); });
  document.getElementById('load-more').addEventListener('click', function () {
    window.__coral.more.forEach(function (d) { list.appendChild(comment(d)); });
  });
})();
"""

FIXTURE_JS = r"""// Page behaviour shared by the fixture pages (not site markup): posting, "load more".
(function () {
  window.__posted = [];
  window.__post = function (text) {
    text = (text || '').trim();
    if (!text) return;
    window.__posted.push(text);
    var li = document.createElement('li');
    li.textContent = text;
    document.getElementById('posted').appendChild(li);
  };
  function take(ed) {
    var t = ed.tagName === 'TEXTAREA' ? ed.value : ed.textContent;
    if (ed.tagName === 'TEXTAREA') ed.value = ''; else ed.textContent = '';
    return t;
  }
  function editorNear(b) {
    for (var s = b.parentElement; s; s = s.parentElement) {
      var ed = s.querySelector('[data-fixture-editor]');
      if (ed) return ed;
    }
    return null;
  }
  document.addEventListener('click', function (ev) {
    var b = ev.target.closest && ev.target.closest('[data-fixture-send]');
    if (!b) return;
    var ed = editorNear(b);
    if (ed) window.__post(take(ed));
  });
  // plain textareas that send on Enter (X's Chat composer); synthetic events count here
  document.addEventListener('keydown', function (ev) {
    var ed = ev.target.closest && ev.target.closest('[data-fixture-enter-any]');
    if (!ed || ev.key !== 'Enter' || ev.shiftKey) return;
    ev.preventDefault();
    window.__post(take(ed));
  });
  document.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var ed = ev.target.querySelector('textarea, [contenteditable="true"]');
    if (ed) window.__post(take(ed));
  });
  var more = document.getElementById('load-more');
  var tpl = document.getElementById('more');
  if (more && tpl) more.addEventListener('click', function () {
    var list = document.querySelector('[data-list]');
    list.appendChild(tpl.content.cloneNode(true));
  });
})();
"""

FIXTURE_CSS = """body{font:15px/1.5 system-ui,sans-serif;max-width:760px;margin:20px auto;padding:0 12px;color:#222}
[data-expect]{display:block;border-bottom:1px solid #eee;padding:4px 0}
textarea,[contenteditable]{display:block;width:100%;min-height:40px;border:1px solid #bbb;border-radius:6px;padding:6px;margin:8px 0;box-sizing:border-box}
ytd-app,ytd-comments,ytd-item-section-renderer,ytd-comment-thread-renderer,ytd-comment-view-model,ytd-comment-replies-renderer,yt-attributed-string,ytd-commentbox,ytd-comment-simplebox-renderer,ytd-comments-header-renderer,yt-formatted-string,ytd-button-renderer,
ytm-app,ytm-engagement-panel-section-list-renderer,ytm-comment-section-renderer,ytm-item-section-renderer,lazy-list,ytm-comment-thread-renderer,ytm-comment-renderer,
shreddit-comment,shreddit-comment-tree,shreddit-composer,comment-composer-host,faceplate-form,shreddit-post,bili-comments{display:block}
shreddit-comment shreddit-comment{margin-left:24px}
#scroller{position:relative;height:520px;overflow:hidden}
.vue-recycle-scroller__item-view{position:absolute;left:0;right:0}
"""


def page_files() -> dict[str, str]:
    """Every fixture file (path under pages/ -> text). The pages are committed so a person can
    open them; tests/unit/test_fixture_pages.py checks they are exactly what this writes."""
    files = {
        "fixture.js": FIXTURE_JS, "fixture.css": FIXTURE_CSS, "bili-components.js": BILI_COMPONENTS_JS,
        "weibo-scroller.js": WEIBO_JS, "draft.js": DRAFT_JS, "youtube-box.js": YT_BOX_JS, "coral.js": CORAL_JS,
        "bilibili.html": bilibili_page(), "bilibili-v2.html": bilibili_v2_page(), "bilibili-dynamic.html": bilibili_dynamic_page(),
        "messages/bilibili.html": bilibili_messages_page(),
        "weibo.html": weibo_page(), "douyin.html": douyin_page(), "chat/douyin.html": douyin_chat_page(),
        "zhihu.html": zhihu_page(), "youtube.html": youtube_page(), "youtube-mobile.html": youtube_mobile_page(),
        "x.html": x_page(), "x-pileon.html": x_pileon_page(), "i/chat/x.html": x_chat_page(), "reddit.html": reddit_page(),
        "wordpress.html": wordpress_page(), "discourse.html": discourse_page(), "phpbb.html": phpbb_page(),
        "coral.html": coral_pages(),
    }
    frame, host = disqus_pages()
    files["disqus/embed/comments/index.html"] = frame
    files["disqus.html"] = host
    return files


def main() -> None:
    if PAGES.exists():
        import shutil

        shutil.rmtree(PAGES)
    PAGES.mkdir(parents=True)
    for name, text in page_files().items():
        p = PAGES / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
