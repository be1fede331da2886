// The adapters' pure part on small DOM trees (the tiny parser below; open shadow roots written as
// declarative <template shadowrootmode="open">). The fixture pages themselves, rebuilt from
// ../shared/notes/site-markup.md and partly rendered by script, are checked in real Chromium by
// tests/e2e; these tests pin the traversal rules the content script relies on.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { parseHTML } from './helpers/minidom.mjs';
import { SITE_ADAPTERS, GENERIC, ALL_ADAPTERS, adapterForHost, selectAdapter, adapterByName, supportedMatchPatterns } from '../lib/adapters/index.js';
import {
  findComments, findMessages, isMessageView, isSubmitLabel, collectItems, queryPath, closestDeep,
  shadowRootsUnder, deepQueryAll, itemsTouched, isIncoming, splitList, profileIdOf,
} from '../lib/adapters/common.js';

test('production matching is by hostname only', () => {
  const cases = {
    'weibo.com': 'weibo', 'www.weibo.com': 'weibo', 'm.weibo.cn': 'weibo', 'api.weibo.com': 'weibo',
    'www.bilibili.com': 'bilibili', 'message.bilibili.com': 'bilibili', 't.bilibili.com': 'bilibili',
    'www.douyin.com': 'douyin', 'www.zhihu.com': 'zhihu', 'zhuanlan.zhihu.com': 'zhihu',
    'www.youtube.com': 'youtube', 'm.youtube.com': 'youtube',
    'x.com': 'x', 'twitter.com': 'x', 'mobile.twitter.com': 'x',
    'www.reddit.com': 'reddit', 'old.reddit.com': 'reddit',
    'example.org': 'generic', 'myblog.wordpress.com': 'generic', 'disqus.com': 'generic', 'notx.com': 'generic', 'x.com.evil.net': 'generic',
  };
  for (const [host, name] of Object.entries(cases)) assert.equal(adapterForHost(host).name, name, host);
  assert.equal(selectAdapter({ hostname: 'example.org', declared: 'weibo', testMode: false }).name, 'generic');
  assert.equal(selectAdapter({ hostname: 'example.org', declared: 'weibo', testMode: true }).name, 'weibo');
  assert.equal(selectAdapter({ hostname: 'x.com', declared: 'nonsense', testMode: true }).name, 'x');
  assert.equal(adapterByName('nope'), null);
});

test('every adapter is well-formed data', () => {
  assert.equal(SITE_ADAPTERS.length, 7);
  for (const a of ALL_ADAPTERS) {
    assert.equal(typeof a.name, 'string');
    assert.ok(Array.isArray(a.hosts));
    assert.ok(a.comments.length > 0, a.name);
    for (const set of a.comments) assert.equal(typeof set.item, 'string');
    if (a.messages) assert.ok(a.messages.path instanceof RegExp, a.name);
    assert.ok(a.composer && a.composer.input, a.name);
  }
  assert.equal(GENERIC.hosts.length, 0);
  const pats = supportedMatchPatterns();
  assert.ok(pats.includes('https://*.weibo.com/*') && pats.includes('https://x.com/*'));
});

// Bilibili's v3 nesting (site-markup.md §1a), one thread with a reply, as declarative shadow roots
const BILI = `<div id="commentapp"><bili-comments><template shadowrootmode="open"><div id="contents"><div id="feed">
<bili-comment-thread-renderer><template shadowrootmode="open">
  <bili-comment-renderer id="comment"><template shadowrootmode="open">
    <div id="header"><bili-comment-user-info><template shadowrootmode="open"><div id="user-name"><a data-user-profile-id="1">喷子</a></div></template></bili-comment-user-info></div>
    <div id="content"><bili-rich-text><template shadowrootmode="open"><p id="contents"><span>你就是个傻逼，滚出去</span></p></template></bili-rich-text></div>
  </template></bili-comment-renderer>
  <div id="replies"><bili-comment-replies-renderer><template shadowrootmode="open"><div id="expander"><div id="expander-contents">
    <bili-comment-reply-renderer><template shadowrootmode="open">
      <bili-comment-user-info><template shadowrootmode="open"><div id="user-name"><a>阿花</a></div></template></bili-comment-user-info>
      <div id="body"><bili-rich-text><template shadowrootmode="open"><p id="contents"><span>谢谢分享，这个菜谱看起来很好吃</span></p></template></bili-rich-text></div>
    </template></bili-comment-reply-renderer>
  </div></div></template></bili-comment-replies-renderer></div>
</template></bili-comment-thread-renderer>
</div></div></template></bili-comments></div>`;

test('comments inside nested open shadow roots: found, with their own text and author', () => {
  const doc = parseHTML(BILI);
  assert.equal(doc.querySelectorAll('bili-comment-renderer').length, 0, 'querySelectorAll alone does not cross shadow roots');
  assert.equal(shadowRootsUnder(doc).length, 9);
  const found = findComments(doc, adapterByName('bilibili'));
  assert.deepEqual(found.map((f) => [f.el.localName, f.text, f.author]), [
    ['bili-comment-renderer', '你就是个傻逼，滚出去', '喷子'],
    ['bili-comment-reply-renderer', '谢谢分享，这个菜谱看起来很好吃', '阿花'],
  ]);
  assert.equal(found[0].textEl.getAttribute('id'), 'contents');
  assert.equal(found[0].textEl.getRootNode().host.localName, 'bili-rich-text');
});

test('closestDeep climbs out of shadow roots; a text edit deep inside maps to its comment', () => {
  const doc = parseHTML(BILI);
  const reply = deepQueryAll(doc, 'bili-comment-reply-renderer')[0];
  const span = queryPath(reply, '>>> bili-rich-text >>> #contents span');
  assert.equal(closestDeep(span, 'bili-comment-reply-renderer'), reply);
  assert.equal(closestDeep(span, 'bili-comment-thread-renderer').localName, 'bili-comment-thread-renderer');
  const roots = [];
  const touched = itemsTouched([span], adapterByName('bilibili').comments, { onRoot: (r) => roots.push(r) });
  assert.deepEqual(touched.map((t) => t.el), [reply]);
  // a new thread's subtree: every comment inside it, and its shadow roots reported for observing
  const thread = deepQueryAll(doc, 'bili-comment-thread-renderer')[0];
  const inThread = itemsTouched([thread], adapterByName('bilibili').comments, { onRoot: (r) => roots.push(r) });
  assert.equal(inThread.length, 2);
  assert.ok(roots.length >= 6);
});

test('a nested reply\'s text is never its parent\'s; lists are tried in priority order', () => {
  const doc = parseHTML(`<ol><li class="comment" id="c1"><div class="comment-body"><b class="fn">ann</b>
    <ol class="children"><li class="comment" id="c2"><div class="comment-content"><p>reply words here</p></div></li></ol></div></li></ol>`);
  const found = findComments(doc, GENERIC);
  assert.deepEqual(found.map((f) => [f.el.getAttribute('id'), f.text]), [['c2', 'reply words here']], 'c1 has no text of its own');
  const two = parseHTML('<div class="x"><p class="b">body words</p><p class="a">content words</p></div>');
  assert.equal(queryPath(two.querySelector('.x'), '.a, .b').textContent, 'content words');
  assert.deepEqual(splitList('a[title="x,y"], b:not(.c, .d)'), ['a[title="x,y"]', 'b:not(.c, .d)']);
});

test('Discourse: the opening post is not a comment', () => {
  const post = (n, t) => `<div class="topic-post"><article data-post-number="${n}"><div class="cooked"><p>${t}</p></div></article></div>`;
  const doc = parseHTML(post(1, 'opening words') + post(2, 'first reply words'));
  assert.deepEqual(findComments(doc, GENERIC).map((f) => f.text), ['first reply words']);
});

test('our own labels are never read as page text', () => {
  const doc = parseHTML('<div class="wbpro-list"><div class="item1"><div class="text"><a>ann</a>:<span class="ks-label" data-ks-ui="label">Hidden by Kindshield</span><span>real comment words</span></div></div></div>');
  const found = findComments(doc, adapterByName('weibo'));
  assert.deepEqual(found.map((f) => [f.text, f.author]), [['real comment words', 'ann']]);
});

test('message direction: the row itself, "from me" markers inside, system rows skipped', () => {
  const x = adapterByName('x').messages;
  const doc = parseHTML(`<div data-testid="dm-conversation-header"><span>troll_9000</span></div><div data-testid="dm-message-request-prompt">Accept?</div>
    <div data-testid="message-a" class="flex justify-start"><div data-testid="message-text-a">hello there friend</div><div class="flex justify-end">10:20</div></div>
    <div data-testid="message-b" class="flex justify-end"><div data-testid="message-text-b">my own words here</div></div>`);
  const got = findMessages(doc, adapterByName('x'));
  assert.deepEqual(got.map((m) => [m.text, m.author, m.relation]), [['hello there friend', 'troll_9000', 'stranger']]);
  const douyin = adapterByName('douyin').messages;
  const row = (cls, inner) => parseHTML(`<div class="${cls}">${inner}</div>`).children[0];
  assert.equal(isIncoming(row('messageMessageBoxmessageBox', '<span>hi</span>'), douyin), true);
  assert.equal(isIncoming(row('messageMessageBoxmessageBox messageMessageBoxisFromMe', ''), douyin), false);
  assert.equal(isIncoming(row('messageMessageBoxmessageBox', '<div class="MessageItemTextisFromMe">x</div>'), douyin), false);
  assert.equal(isIncoming(row('messageMessageBoxmessageBox messageMessageBoxisFullRowCenterMessage', ''), douyin), false);
  const bili = adapterByName('bilibili').messages;
  assert.equal(isIncoming(row('_Msg_o7f0t_1 _MsgIsMe_o7f0t_12', ''), bili), false);
  assert.equal(isIncoming(row('_Msg_o7f0t_1', ''), bili), true);
  assert.ok(x.outgoing);
});

test('items without worthwhile text and broken selectors are ignored', () => {
  const doc = parseHTML('<div class="c"><p class="t">!!</p></div><div class="c"><p class="t">real words</p></div><div class="c"></div>');
  const found = collectItems(doc, [{ item: '.c', text: '.t' }, { item: 'div[', text: '.t' }]);
  assert.deepEqual(found.map((f) => f.text), ['real words']);
});

test('message views are recognised by path', () => {
  const x = adapterByName('x');
  assert.ok(isMessageView(x, '/messages/123-456'));
  assert.ok(isMessageView(x, '/i/chat/111-222'));
  assert.ok(!isMessageView(x, '/home'));
  assert.ok(isMessageView(adapterByName('bilibili'), '/#/whisper/mid123'));
  assert.ok(isMessageView(adapterByName('douyin'), '/chat'));
  assert.ok(!isMessageView(adapterByName('youtube'), '/messages'));
});

test('submit labels in English and Chinese', () => {
  for (const l of ['Post', 'send', 'Reply', 'Comment', '发布', '发送', '评论', '回复', ' Tweet ']) assert.ok(isSubmitLabel(l), l);
  for (const l of ['Cancel', 'Like', 'Post a comment about cats', '', null]) assert.ok(!isSubmitLabel(l), String(l));
});

test('comment frames: Disqus embeds are recognised, only known origins pass', async () => {
  const { embedsIn, knownEmbedOrigins } = await import('../lib/adapters/embeds.js');
  assert.deepEqual(embedsIn(['https://disqus.com/embed/comments/?base=default&f=blog&t_u=x', 'https://ads.example/']),
    [{ name: 'disqus', origins: ['https://disqus.com/*'] }]);
  assert.deepEqual(embedsIn(['https://evil.example/disqus.com/embed/comments/']), []);
  assert.deepEqual(knownEmbedOrigins(['https://disqus.com/*', 'https://*/*', '<all_urls>']), ['https://disqus.com/*']);
});

test('sender ids are profile URLs or nothing, never display names', () => {
  const doc = parseHTML(`<div data-testid="dm-conversation-header"><a href="https://x.com/troll_9000"><span>Troll Nine</span></a></div>
    <div data-testid="message-a" class="flex justify-start"><div data-testid="message-text-a">hello there friend</div></div>`);
  const got = findMessages(doc, adapterByName('x'));
  assert.deepEqual(got.map((m) => [m.author, m.authorId]), [['Troll Nine', 'https://x.com/troll_9000']]);
  const anon = parseHTML(`<div data-testid="dm-conversation-header"><span>unknown</span></div>
    <div data-testid="message-a" class="flex justify-start"><div data-testid="message-text-a">hello there friend</div></div>`);
  assert.deepEqual(findMessages(anon, adapterByName('x')).map((m) => m.authorId), ['']);
  const link = (href) => parseHTML(`<a href="${href}"><b>n</b></a>`).children[0].children[0];
  assert.equal(profileIdOf(link('javascript:alert(1)')), '');
  assert.equal(profileIdOf(link('https://weibo.com/')), '');
  assert.equal(profileIdOf(link('https://weibo.com/u/123?from=feed#x')), 'https://weibo.com/u/123');
});
